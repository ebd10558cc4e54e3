#!/usr/bin/env bash
# What each layout of the predictions costs to write per row (io.annscore.bench.LayoutWriteBench):
# annscore's job in one warm local[1] JVM, each layout in turn, interleaved, median of --repeat runs.
#   bench/run-layouts.sh [--repeat 3] [--rows32 1m] [--rows128 200k]
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_FLAGS=${MVN_FLAGS:--q -B}
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
mvn $MVN_FLAGS -Pbench -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench/bench.classpath -Dmdep.includeScope=compile \
    2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2
OPENS=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
exec java $OPENS -Xmx2g -Dlog4j2.configurationFile="$PWD/bench/log4j2.properties" \
    -cp "target/bench/classes:$(cat target/bench/bench.classpath)" io.annscore.bench.LayoutWriteBench "$@"
