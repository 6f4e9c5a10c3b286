#!/usr/bin/env bash
# Generates Strimzi's CRDs (with their OpenAPI schemas) from the operator's own API model on Maven Central,
# so the manifest test can validate kafka.strimzi.io/v1 resources offline. Cached in infra/k8s/.crds/
# (gitignored) and rebuilt when pom.xml changes. The generator needs Java 25: JAVA25_HOME, or the first
# JDK 25 under /usr/lib/jvm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(cd "$here/.." && pwd)/.crds"
libs="$out/libs"
stamp="$out/.pom.sha256"

log() { printf '[strimzi-crds] %s\n' "$*" >&2; }

want="$(sha256sum "$here/pom.xml" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$out/kafkatopics.yaml" ]; then exit 0; fi

java25="${JAVA25_HOME:-}"
if [ -z "$java25" ]; then
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/java" ]; then java25="$candidate"; break; fi
  done
fi
[ -n "$java25" ] && [ -x "$java25/bin/java" ] || { log "Java 25 not found (set JAVA25_HOME)"; exit 1; }

rm -rf "$out"
mkdir -p "$libs"
log "fetching io.strimzi:api and crd-generator from Maven Central"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime
log "generating CRDs with $java25"
"$java25/bin/java" -cp "$libs/*" io.strimzi.crdgenerator.CrdGenerator --yaml \
  --crd-api-version v1 --api-versions v1 --storage-version v1 \
  "io.strimzi.api.kafka.model.kafka.Kafka=$out/kafkas.yaml" \
  "io.strimzi.api.kafka.model.nodepool.KafkaNodePool=$out/kafkanodepools.yaml" \
  "io.strimzi.api.kafka.model.topic.KafkaTopic=$out/kafkatopics.yaml" \
  "io.strimzi.api.kafka.model.user.KafkaUser=$out/kafkausers.yaml" >/dev/null
echo "$want" >"$stamp"
log "CRDs in $out"
