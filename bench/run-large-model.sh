#!/usr/bin/env bash
# The large-network check: a 10-million-parameter network (500-4000-2000-10 by default) written in
# our model format, read back in a fresh JVM with Spark's default driver memory (1g), and used by
# the real job (`submit.sh score`, local mode, --driver-memory 1g) to score a small CSV table.
#
#   bench/run-large-model.sh [LAYERS [ROWS]]      # defaults: 500-4000-2000-10 2000
#
# Files go to target/large-model.
set -euo pipefail
cd "$(dirname "$0")/.."

LAYERS=${1:-500-4000-2000-10}
ROWS=${2:-2000}
DIR=target/large-model
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

mvn ${MVN_FLAGS:--q -B} -Pbench -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench/bench.classpath -Dmdep.includeScope=compile \
    2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2
CP="target/bench/classes:$(cat target/bench/bench.classpath)"

rm -rf "$DIR"
java -cp "$CP" io.annscore.bench.LargeModelCheck prepare "$DIR" "$LAYERS" "$ROWS" 42
java -Xmx1g -cp "$CP" io.annscore.bench.LargeModelCheck read "$DIR/model.json"

start=$(date +%s.%N)
status=0
./submit.sh --driver-memory 1g score --model "$DIR/model.json" --input "$DIR/input.csv" --input-format csv \
    --label label --id id --output "$DIR/out/predictions" --summary "$DIR/out/summary" \
    > "$DIR/score.log" 2>&1 || status=$?
end=$(date +%s.%N)
scored=$(sed -n 's/^| rows_scored *| *\([0-9]*\).*/\1/p' "$DIR/score.log")
printf 'score  submit.sh --driver-memory 1g: exit %d, %s rows scored, %.1f s in all (log: %s)\n' \
    "$status" "${scored:-no}" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$DIR/score.log"
exit "$status"
