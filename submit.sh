#!/usr/bin/env bash
# annscore's one entry point:  ./submit.sh [spark options] <command> [options]
#
#   commands: score, backfill, validate, recover, profile, report, inspect, import (./submit.sh <command> --help for each)
#
# Where Spark runs:
#   * SPARK_HOME set, or spark-submit on the PATH: the application jar goes through spark-submit
#     ($SPARK_HOME/bin/spark-submit; when SPARK_HOME holds only jars/, as a folder of Spark's Maven
#     jars does, through `java -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit`).
#     This is how it runs on YARN, Kubernetes or a standalone cluster: --master yarn, ...
#   * otherwise: the embedded Spark from the project's Maven dependencies, in local mode
#     (local[*] unless --master local[N] says otherwise), with conf/spark-defaults.conf applied.
#     Needs only Java 17 and Maven; the jar and a classpath file are built on first use.
# inspect and import run without Spark (a plain JVM) in every case.
#
# --delta (before the command) adds Delta Lake (for output.format = delta and the other *.format
# keys): through spark-submit as --packages io.delta:delta-spark_2.13:VERSION; on the embedded
# Spark from Maven (the version the project's pom.xml names, resolved once and cached in target/).
#
# Environment: SPARK_HOME, JAVA_HOME, JAVA_OPTS (extra JVM options for the driver JVM this script
# starts), ANNSCORE_JAR (a prebuilt application jar; then Maven is not needed unless embedded).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIN_CLASS=io.annscore.cli.Main
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The Vector API (the scorer's fast kernel), as Spark 4.2's launcher gives it to its own JVMs.
OPENS=(--add-modules=jdk.incubator.vector --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
       --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
       --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
       --add-opens=java.base/java.net=ALL-UNNAMED)  # java.net: the Hive metastore client (catalog tables)
LOG4J="$ROOT/conf/log4j2.properties"

die() { # message [exit code]
  echo "submit.sh: $1" >&2
  exit "${2:-2}"
}

usage() {
  cat <<'EOF'
Usage: ./submit.sh [spark options] <command> [options]

Commands:
  score     run a job: predictions, quarantine and the run summary (printed)
  backfill  score a range of dates in one application (--from/--to or --dates), resumable
  validate  check network, job configuration and input; score nothing
  recover   finish the publishing that killed runs of a job left
  profile   write a profile file of a table's features (a drift reference)
  report    rebuild a run's HTML report from the summary and profile tables
  inspect   print a network: layers, sizes, functions, parameter count, task, SHA-256
  import    convert an ONNX file or an MLlib model into our model format

Spark options (before the command) pass through to spark-submit: --master, --deploy-mode,
--conf k=v, --executor-memory, --driver-memory, --num-executors, --executor-cores, --name,
--jars, --files, --queue, --properties-file, --verbose, ...
--delta adds Delta Lake (needed by output.format = delta, quarantine.format, summary.format).

First run:  ./submit.sh score --job jobs/demo.conf
Help:       ./submit.sh <command> --help
Exit codes: 0 ok, 1 failure, 2 usage/configuration, 3 model, 4 input, 5 quarantine limit, 6 locked,
            7 drift alarm (with drift.fail-on-alarm; the outputs were published).
EOF
}

# ---- split: Spark's options, then the command and its options --------------------------------
spark_args=()
delta=""
while (($#)); do
  case "$1" in
    score|backfill|validate|recover|profile|report|inspect|import|help) break ;;
    --delta) delta=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --version) break ;;
    -v|--verbose|--supervise) spark_args+=("$1"); shift ;;
    -c)
      (($# >= 2)) || die "Spark option $1 needs a value (see ./submit.sh --help)"
      spark_args+=("$1" "$2"); shift 2 ;;
    --*=*) spark_args+=("$1"); shift ;;
    --*)
      (($# >= 2)) || die "Spark option $1 needs a value (see ./submit.sh --help)"
      spark_args+=("$1" "$2"); shift 2 ;;
    *) die "unknown command '$1'; commands: score, backfill, validate, recover, profile, report, inspect, import (see ./submit.sh --help)" ;;
  esac
done
(($#)) || { usage >&2; exit 2; }
command="$1"

# Spark option values this script needs itself (the last one given wins, as in spark-submit).
opt() { # name -> value or empty
  local name="$1" i value=""
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    case "${spark_args[i]}" in
      "$name") value="${spark_args[i + 1]:-}" ;;
      "$name"=*) value="${spark_args[i]#*=}" ;;
    esac
  done
  printf '%s' "$value"
}
confs() { # every --conf k=v value, one a line
  local i
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    case "${spark_args[i]}" in
      --conf|-c) printf '%s\n' "${spark_args[i + 1]}" ;;
      --conf=*) printf '%s\n' "${spark_args[i]#--conf=}" ;;
    esac
  done
}
has_verbose() { local a; for a in "${spark_args[@]+"${spark_args[@]}"}"; do [[ $a == --verbose || $a == -v ]] && return 0; done; return 1; }

# ---- where Spark comes from -------------------------------------------------------------------
mode=embedded
spark_home="${SPARK_HOME:-}"
if [[ -n $spark_home ]]; then
  if [[ -x $spark_home/bin/spark-submit ]]; then
    mode=spark-submit
  elif [[ -d $spark_home/jars ]]; then
    mode=spark-jars
  else
    die "SPARK_HOME=$spark_home holds neither bin/spark-submit nor jars/"
  fi
elif command -v spark-submit >/dev/null 2>&1; then
  mode=spark-submit
  spark_home="$(cd "$(dirname "$(readlink -f "$(command -v spark-submit)")")/.." && pwd)"
fi

# ---- the application jar ----------------------------------------------------------------------
mvn_quiet() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build annscore; install it or set ANNSCORE_JAR" 1
  mkdir -p "$ROOT/target"
  local log="$ROOT/target/submit-mvn.log"
  if ! (cd "$ROOT" && mvn -B -q "$@") >"$log" 2>&1; then
    cat "$log" >&2
    die "the Maven build failed: (cd $ROOT && mvn -B $*)" 1
  fi
}

app_jar() {
  if [[ -n ${ANNSCORE_JAR:-} ]]; then
    [[ -f $ANNSCORE_JAR ]] || die "ANNSCORE_JAR=$ANNSCORE_JAR: no such file"
    printf '%s' "$ANNSCORE_JAR"
    return
  fi
  local jar stale=""
  jar="$(ls -t "$ROOT"/target/annscore-*-app.jar 2>/dev/null | head -n 1 || true)"
  if [[ -n $jar && -d $ROOT/src/main ]]; then
    stale="$(find "$ROOT/src/main" "$ROOT/pom.xml" "$ROOT/conf/annscore-defaults.conf" -newer "$jar" -print -quit 2>/dev/null || true)"
  fi
  if [[ -z $jar || -n $stale ]]; then
    echo "submit.sh: building the application jar (mvn -B -q -DskipTests package) ..." >&2
    mvn_quiet -DskipTests package
    jar="$(ls -t "$ROOT"/target/annscore-*-app.jar 2>/dev/null | head -n 1 || true)"
    [[ -n $jar ]] || die "the build made no target/annscore-*-app.jar" 1
  fi
  printf '%s' "$jar"
}

# The embedded Spark: every compile and provided dependency of the project, cached in target/.
maven_classpath() {
  local cp_file="$ROOT/target/annscore-classpath.txt"
  if [[ ! -s $cp_file || $ROOT/pom.xml -nt $cp_file ]]; then
    echo "submit.sh: resolving the embedded Spark's classpath (mvn dependency:build-classpath) ..." >&2
    mkdir -p "$ROOT/target"
    mvn_quiet dependency:build-classpath -DincludeScope=compile -Dmdep.outputFile="$cp_file"
    touch "$cp_file" # the plugin leaves an unchanged file as it was
  fi
  cat "$cp_file"
}

# Delta Lake's jars for the embedded Spark: the project's (test-scope) Delta dependency and what it
# brings that Spark does not have, cached in target/.
delta_classpath() {
  local cp_file="$ROOT/target/annscore-delta-classpath.txt"
  if [[ ! -s $cp_file || $ROOT/pom.xml -nt $cp_file ]]; then
    echo "submit.sh: resolving Delta Lake for the embedded Spark (mvn dependency:build-classpath) ..." >&2
    mkdir -p "$ROOT/target"
    mvn_quiet dependency:build-classpath -DincludeScope=test -DincludeGroupIds=io.delta,io.unitycatalog,com.fasterxml.jackson.datatype \
      -Dmdep.outputFile="$cp_file"
    touch "$cp_file"
  fi
  cat "$cp_file"
}

delta_version() {
  sed -n 's:.*<delta.version>\(.*\)</delta.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1
}

# spark-defaults.conf lines ("key value" or "key=value") as -Dkey=value
defaults_as_properties() { # file
  local key value
  while read -r key value || [[ -n $key ]]; do
    [[ -z $key || $key == \#* ]] && continue
    if [[ $key == *=* && -z $value ]]; then value="${key#*=}"; key="${key%%=*}"; fi
    printf '%s\n' "-D$key=$value"
  done <"$1"
}

run_java() { # java options... -- main args...
  if has_verbose; then printf 'submit.sh: running:' >&2; printf ' %q' "$@" >&2; echo >&2; fi
  exec "$@"
}

# ---- inspect, import, help, --version: no Spark needed ----------------------------------------
if [[ $command != score && $command != backfill && $command != validate && $command != recover && $command != profile && $command != report ]]; then
  jar="$(app_jar)"
  if [[ $mode == embedded ]]; then cp="$jar:$(maven_classpath)"; else cp="$jar:$spark_home/jars/*"; fi
  run_java "$JAVA" ${JAVA_OPTS:-} "-Dlog4j2.configurationFile=$LOG4J" -cp "$cp" "$MAIN_CLASS" "$@"
fi

jar="$(app_jar)"
if [[ -n $delta && $mode != embedded ]]; then
  spark_args+=(--packages "io.delta:delta-spark_2.13:$(delta_version)")
fi
driver_memory="$(opt --driver-memory)"
driver_java_options="$(opt --driver-java-options)"

case "$mode" in
  spark-submit)
    extra=()
    if [[ $(opt --deploy-mode) != cluster && -z $driver_java_options ]] && ! confs | grep -q '^spark.driver.extraJavaOptions='; then
      extra+=(--driver-java-options "-Dlog4j2.configurationFile=file:$LOG4J")
    fi
    submit="$spark_home/bin/spark-submit"
    [[ -x $submit ]] || submit="$(command -v spark-submit)"
    run_java "$submit" --class "$MAIN_CLASS" "${spark_args[@]+"${spark_args[@]}"}" "${extra[@]+"${extra[@]}"}" "$jar" "$@"
    ;;

  spark-jars)
    # No launcher script: this JVM is the driver (client mode; in cluster mode, the client that
    # submits and waits), so its options go on it directly.
    export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
    jvm=("${OPENS[@]}" "-Dlog4j2.configurationFile=$LOG4J")
    [[ -n $driver_memory ]] && jvm+=("-Xmx$driver_memory")
    # shellcheck disable=SC2206
    [[ -n $driver_java_options ]] && jvm+=($driver_java_options)
    # The class path spark-submit's launcher builds: the configuration folders first (so that
    # core-site.xml and yarn-site.xml reach Hadoop, as on YARN they must), then Spark's jars.
    driver_cp="${SPARK_CONF_DIR:-$spark_home/conf}"
    for dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
      if [[ -n $dir ]]; then driver_cp="$driver_cp:$dir"; fi
    done
    driver_cp="$driver_cp:$spark_home/jars/*"
    extra_cp="$(opt --driver-class-path)"
    run_java "$JAVA" ${JAVA_OPTS:-} "${jvm[@]}" -cp "$driver_cp${extra_cp:+:$extra_cp}" \
      org.apache.spark.deploy.SparkSubmit --class "$MAIN_CLASS" "${spark_args[@]+"${spark_args[@]}"}" "$jar" "$@"
    ;;

  embedded)
    # Local mode talks to itself only: loopback, and no warning that the hostname resolves to it.
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
    master="local[*]"
    jvm=("${OPENS[@]}" "-Dlog4j2.configurationFile=$LOG4J")
    while IFS= read -r p; do jvm+=("$p"); done < <(defaults_as_properties "$ROOT/conf/spark-defaults.conf")
    cp="$jar"
    i=0
    while ((i < ${#spark_args[@]})); do
      a="${spark_args[i]}"
      name="${a%%=*}"
      if [[ $a == *=* && $a == --* ]]; then value="${a#*=}"; step=1; else value="${spark_args[i + 1]:-}"; step=2; fi
      case "$name" in
        -v|--verbose) step=1 ;;
        --master) master="$value" ;;
        --conf|-c)
          [[ $value == *=* ]] || die "--conf expects key=value, found '$value'"
          jvm+=("-D$value") ;;
        --name) jvm+=("-Dspark.app.name=$value") ;;
        --driver-memory) jvm+=("-Xmx$value") ;;
        --executor-memory) jvm+=("-Dspark.executor.memory=$value") ;;
        # shellcheck disable=SC2206
        --driver-java-options) jvm+=($value) ;;
        --driver-class-path) cp="$cp:$value" ;;
        --jars) cp="$cp:${value//,/:}" ;;
        --properties-file)
          while IFS= read -r p; do jvm+=("$p"); done < <(defaults_as_properties "$value") ;;
        --deploy-mode)
          [[ $value == client ]] || die "--deploy-mode $value needs a cluster: set SPARK_HOME (a Spark distribution or a folder with jars/) or put spark-submit on the PATH" ;;
        --supervise) step=1; echo "submit.sh: --supervise has no effect in local mode" >&2 ;;
        *) echo "submit.sh: $name has no effect on the embedded Spark (local mode); ignored" >&2 ;;
      esac
      i=$((i + step))
    done
    [[ $master == local || $master == local\[* ]] ||
      die "--master $master needs Spark's spark-submit: set SPARK_HOME (a Spark distribution, or a folder with jars/) or put spark-submit on the PATH; without them annscore runs on the embedded Spark in local mode"
    jvm+=("-Dspark.master=$master")
    cp="$cp:$(maven_classpath)"
    if [[ -n $delta ]]; then cp="$cp:$(delta_classpath)"; fi
    run_java "$JAVA" ${JAVA_OPTS:-} "${jvm[@]}" -cp "$cp" "$MAIN_CLASS" "$@"
    ;;
esac
