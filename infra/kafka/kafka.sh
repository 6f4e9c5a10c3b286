#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft) from Maven Central jars: no Docker, no tarball.
#   kafka.sh start   fetch jars if needed, format storage once, start, wait until ready (reuses a running broker)
#   kafka.sh stop    stop the broker this script started
#   kafka.sh status  exit 0 when a broker answers on KAFKA_PORT
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${KAFKA_HOME_DIR:-$root/.kafka}"
libs="$state/libs"
data="$state/data"
pidfile="$state/kafka.pid"
logfile="$state/kafka.log"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
cluster_id="${KAFKA_CLUSTER_ID:-4L6g3nShT-eMCtK--X86sw}"
heap="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError}"

log() { printf '[kafka] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch_jars() {
  if [ -f "$libs/.complete" ]; then return; fi
  log "fetching Kafka jars from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime
  touch "$libs/.complete"
}

# The broker and StorageTool read one properties file; log.dirs points into this checkout, and the ports
# follow KAFKA_PORT so a second (throwaway) broker can run beside the usual one.
write_config() {
  mkdir -p "$state"
  {
    sed -e "s/127.0.0.1:9093/127.0.0.1:$controller_port/g" -e "s/127.0.0.1:9092/127.0.0.1:$port/g" "$here/server.properties"
    printf '\nlog.dirs=%s\n' "$data"
  } >"$state/server.properties"
}

format_storage() {
  if [ -f "$data/meta.properties" ]; then return; fi
  log "formatting KRaft storage in $data"
  mkdir -p "$data"
  java -cp "$libs/*" -Dlog4j2.configurationFile="$here/log4j2.properties" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$state/server.properties" --ignore-formatted >/dev/null
}

start() {
  if port_open; then
    log "a broker already answers on 127.0.0.1:$port; reusing it"
    return 0
  fi
  command -v java >/dev/null || { log "java (17+) is required to run Kafka"; exit 1; }
  command -v mvn >/dev/null || { log "mvn is required to fetch Kafka from Maven Central"; exit 1; }
  fetch_jars
  write_config
  format_storage
  log "starting broker on 127.0.0.1:$port (log: $logfile)"
  # setsid: the broker outlives the shell that started it, and a Ctrl-C in that shell does not reach it.
  # shellcheck disable=SC2086
  setsid nohup java $heap -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$libs/*" \
    kafka.Kafka "$state/server.properties" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until grep -q "Kafka Server started" "$logfile" 2>/dev/null; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "broker exited during start-up; last lines of $logfile:"; tail -n 30 "$logfile" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "broker not ready in time; see $logfile"; exit 1; fi
    sleep 0.5
  done
  log "broker ready"
}

stop() {
  if [ ! -f "$pidfile" ]; then log "no broker started by this script"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping broker (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) port_open ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
