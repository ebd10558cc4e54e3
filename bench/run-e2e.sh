#!/usr/bin/env bash
# The end-to-end benchmark: annscore's scoring job vs Spark MLlib vs the floor (read and write the
# data with no network), each a separate local[2] application in its own JVM, at two sizes per network.
#
#   bench/run-e2e.sh                 # the full sizes of the issue (about 15 minutes on an idle machine; ~3.5 GB of disk)
#   bench/run-e2e.sh --quick         # tiny sizes, a check that everything works
#   bench/run-e2e.sh --help          # all options
#
#   Delta output against Parquet output (annscore only; the same data, the outputs as Delta tables):
#   E2E_DELTA=1 E2E_JVM_FLAGS="-Dannscore.bench.outputFormat=delta -Dspark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension -Dspark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog" \
#       bench/run-e2e.sh --methods annscore --workload 32-64-32-4:20000:2000000 --no-csv --no-memory-check
#
# Builds with the Maven profile `bench` (adds src/bench/java and spark-mllib), then runs
# io.annscore.bench.EndToEndBenchmark. Data, models, logs and report.txt go to target/e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN_FLAGS=${MVN_FLAGS:--q -B}
# Spark binds to loopback only (it would otherwise pick the first network interface).
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# (Maven's own messages, errors included, go to stderr, without the colour codes this Maven prints.)
mvn $MVN_FLAGS -Pbench -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench/bench.classpath -Dmdep.includeScope=compile \
    2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2

# The --add-opens Spark needs on Java 17, as the pom passes them to the tests (spark.jvm.opens);
# the benchmark hands them on to every measured JVM.
OPENS=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)

CP="target/bench/classes:$(cat target/bench/bench.classpath)"
if [[ -n ${E2E_DELTA:-} ]]; then
  # Delta Lake (the project's test-scope dependency) for the measured JVMs, which take this class path.
  mvn $MVN_FLAGS dependency:build-classpath -DincludeScope=test \
      -DincludeGroupIds=io.delta,io.unitycatalog,com.fasterxml.jackson.datatype \
      -Dmdep.outputFile=target/bench/delta.classpath 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2
  CP="$CP:$(cat target/bench/delta.classpath)"
fi

exec java $OPENS -Xmx2g -Dlog4j2.configurationFile="$PWD/bench/log4j2.properties" -cp "$CP" \
    io.annscore.bench.EndToEndBenchmark "$@"
