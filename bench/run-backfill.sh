#!/usr/bin/env bash
# A backfill against separate runs: DATES dates of the same data, scored
#   (a) as DATES separate `./submit.sh score --run-date D` processes, one after another,
#   (b) as one `./submit.sh backfill --from --to` (one at a time),
#   (c) as one `./submit.sh backfill ... --parallel 2`,
# each into fresh outputs, on the embedded Spark with --master local[2]. Prints the wall time and
# the CPU time (user + sys of the whole process tree) of each, with the load average before and
# after. Each date's input is the demo's iris table repeated COPIES times (150 × COPIES rows).
#
#   bench/run-backfill.sh [DATES [COPIES]]        # defaults: 10 200  (30,000 rows a date)
#
# Files go to target/bench-backfill; the report to target/bench-backfill/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

DATES=${1:-10}
COPIES=${2:-200}
DIR=target/bench-backfill
MASTER=local[2]
rm -rf "$DIR"
mkdir -p "$DIR"

# The data: one CSV per date under landing/yyyy/MM/dd/.
day() { date -u -d "2024-05-01 + $1 days" +%F; }
for ((i = 0; i < DATES; i++)); do
  d=$(day "$i")
  folder="$DIR/landing/${d//-//}"
  mkdir -p "$folder"
  awk -v copies="$COPIES" 'NR == 1 { print; next } { rows[NR] = $0 } END {
      id = 0
      for (c = 0; c < copies; c++) for (r = 2; r <= NR; r++) { n = split(rows[r], f, ","); id++;
        line = id; for (k = 2; k <= n; k++) line = line "," f[k]; print line } }' jobs/data/iris.csv > "$folder/part-0.csv"
done
FIRST=$(day 0)
LAST=$(day $((DATES - 1)))

job() { # output folder
  printf '%s\n' --model jobs/models/iris.json --input "$DIR/landing/{run_date:yyyy/MM/dd}/*.csv" --label label \
    --id id --output "$1/predictions" --quarantine "$1/quarantine" --summary "$1/summary"
}

./submit.sh --help >/dev/null # builds the jar first, outside the timings

TIMEFORMAT='%R %U %S'
measure() { # name, command...: appends "name wall cpu" to results
  local name="$1" t
  shift
  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  { t=$( { time "$@" >"$DIR/$name.log" 2>&1; } 2>&1 ); } || { echo "$name failed: see $DIR/$name.log" >&2; exit 1; }
  read -r wall user sys <<<"$t"
  printf '%-32s %8.1f %8.1f   %s -> %s\n' "$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
    "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$DIR/results.txt"
}

separate() {
  local i
  for ((i = 0; i < DATES; i++)); do
    mapfile -t args < <(job "$DIR/out-separate")
    ./submit.sh --master "$MASTER" score "${args[@]}" --run-date "$(day "$i")" || return 1
  done
}
backfill() { # output, more options
  local out="$1"
  shift
  mapfile -t args < <(job "$out")
  ./submit.sh --master "$MASTER" backfill "${args[@]}" --from "$FIRST" --to "$LAST" "$@"
}

: >"$DIR/results.txt"
measure "$DATES x score" separate
measure "backfill" backfill "$DIR/out-backfill"
measure "backfill --parallel 2" backfill "$DIR/out-parallel" --parallel 2
measure "backfill again (all skipped)" backfill "$DIR/out-backfill"

{
  echo "bench/run-backfill.sh $DATES $COPIES: $DATES dates x $((150 * COPIES)) rows, --master $MASTER, $(nproc) cores"
  printf '%-32s %8s %8s   %s\n' "method" "wall s" "cpu s" "load average (1, 5, 15 min) before -> after"
  cat "$DIR/results.txt"
} | tee "$DIR/report.txt"
