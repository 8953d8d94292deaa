#!/usr/bin/env bash
# Start-up from outside, on embedded defaults (fresh H2 each run): `java -jar` until the first 200.
# Three ways beside a bare Spring Boot web app on the same machine, three runs each:
#   bare web app jar | Countersign fat jar | Countersign extracted | extracted with the JDK's AOT cache.
# Run from the repository root after ./mvnw install -DskipTests:   bash app/src/test/bench/startup.sh
set -euo pipefail
root=$(pwd)
jar="$root/app/target/countersign.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw install -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=18190

"$root/mvnw" -q -B -f "$root/app/src/test/bench/bare-web-app/pom.xml" package -DskipTests
bare="$root/app/src/test/bench/bare-web-app/target/bare.jar"

# $1 label, $2 path answering 200, rest: the java command line (without `java`)
measure() {
  local label=$1 path=$2; shift 2
  local runs=()
  for run in 1 2 3; do
    rm -rf "$work/run" && mkdir -p "$work/run" && cd "$work/run"
    local start end
    start=$(date +%s.%N)
    java "$@" --server.port=$port > app.log 2>&1 &
    local pid=$!
    until curl -sf -o /dev/null "localhost:$port$path"; do
      kill -0 $pid 2>/dev/null || { echo "$label did not start:" >&2; tail -20 app.log >&2; exit 1; }
      sleep 0.05
    done
    end=$(date +%s.%N)
    runs+=("$(printf '%.1f' "$(echo "$end - $start" | bc)")")
    kill $pid; wait $pid 2>/dev/null || true
    cd "$root"
  done
  echo "| $label | ${runs[0]} s | ${runs[1]} s | ${runs[2]} s |"
}

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
echo "| start-up to the first 200 | run 1 | run 2 | run 3 |"
echo "|---|---|---|---|"
measure "bare Spring Boot web app (one controller, Jetty)" /hello -jar "$bare"
measure "Countersign, fat jar" /.well-known/jwks.json -jar "$jar"
java -Djarmode=tools -jar "$jar" extract --destination "$work/extracted" > /dev/null
measure "Countersign, extracted" /.well-known/jwks.json -jar "$work/extracted/countersign.jar"
(cd "$work" && rm -rf data && java -XX:AOTCacheOutput="$work/countersign.aot" -Dspring.context.exit=onRefresh \
  -jar "$work/extracted/countersign.jar" --server.port=$port > "$work/training.log" 2>&1)
measure "Countersign, extracted, with the AOT cache" /.well-known/jwks.json -XX:AOTCache="$work/countersign.aot" -jar "$work/extracted/countersign.jar"
