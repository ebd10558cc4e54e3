#!/usr/bin/env bash
# Every benchmark of issue 17, one after another, for a quiet machine (an hour or more on 2 cores):
#   1. the write cost of each prediction layout (bench/run-layouts.sh, median of 3);
#   2. the forward pass in float64 and float32 (JMH, one thread, the wide networks);
#   3. end to end: lean floor, floor, MLlib, ONNX Runtime, annscore and annscore32 on both
#      networks at the issue's sizes, median of 3 interleaved repetitions (bench/run-e2e.sh).
# Each prints `uptime` first; the outputs go to target/bench-all/*.txt.
#   bench/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench-all
uptime | tee target/bench-all/layouts.txt
bench/run-layouts.sh --repeat 3 2>&1 | grep -v ' WARN ' | tee -a target/bench-all/layouts.txt
OPENS=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
uptime | tee target/bench-all/jmh.txt
java -cp "target/bench/classes:$(cat target/bench/bench.classpath)" io.annscore.bench.ForwardPassBench \
    -f 1 -wi 5 -i 5 -w 1s -r 1s -p shape=128-256-128-10,784-512-256-10 -p hidden=sigmoid,relu 'ForwardPassBench.batch' \
    2>&1 | tee -a target/bench-all/jmh.txt
uptime | tee target/bench-all/e2e.txt
bench/run-e2e.sh --no-csv --no-memory-check --repeat 3 2>&1 | tee -a target/bench-all/e2e.txt
