#!/usr/bin/env bash
# kill -9 under load (issue #14): submissions stream in through the API while the server is
# killed without warning, twice; after each restart every acknowledged application (a 201 with
# its number and query code) must be there, numbers never twice, the audit chain intact and the
# search index complete. Bounded: about a minute. Usage: .ci/crash-test.sh BIN [DATABASE_URL]
set -euo pipefail
bin=$1
url=${2:-}
port=${PORT:-18095}
work=$(mktemp -d)
db_args=()
[ -n "$url" ] && db_args=(--database-url "$url")
trap 'kill -9 "$server" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

start() {
  "$bin" --data-dir "$work/data" "${db_args[@]}" serve --demo --bind "127.0.0.1:$port" \
    --public-per-minute 1000000 --public-per-day 1000000 >> "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  cat "$work/serve.log"; return 1
}

submitter() {
  local n=0
  while :; do
    n=$((n + 1))
    body="{\"agency\":\"demo\",\"applicant\":{\"kind\":\"natural_person\",\"name\":\"压测$1\",\"id_type\":\"other\",\"id_name\":\"护照\",\"id_number\":\"E$1$n\",\"phone\":\"13800000000\"},\"content\":\"某项政府信息第$n件\",\"wanted_form\":\"电子\"}"
    reply=$(curl -s -m 5 -w '\n%{http_code}' -H 'content-type: application/json' -d "$body" \
      "http://127.0.0.1:$port/api/v1/applications" 2>/dev/null) || continue
    code=${reply##*$'\n'}
    if [ "$code" = 201 ]; then
      number=$(printf '%s' "$reply" | sed -n 's/.*"number":"\([^"]*\)".*/\1/p')
      query=$(printf '%s' "$reply" | sed -n 's/.*"query_code":"\([^"]*\)".*/\1/p')
      echo "$number $query" >> "$work/acked.$1"
    fi
  done
}

start
for round in 1 2; do
  for i in 1 2 3 4; do submitter "$round$i" & done
  sleep 8
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  start
done

cat "$work"/acked.* > "$work/acked"
acked=$(wc -l < "$work/acked")
[ "$acked" -gt 0 ] || { echo "no submission was acknowledged"; exit 1; }
duplicates=$(cut -d' ' -f1 "$work/acked" | sort | uniq -d | wc -l)
missing=0
while read -r number query; do
  curl -sf "http://127.0.0.1:$port/api/v1/applications/$number?code=$query&agency=demo" >/dev/null || {
    missing=$((missing + 1)); echo "missing: $number"; }
done < "$work/acked"
kill -TERM "$server"; wait "$server" 2>/dev/null || true
"$bin" --data-dir "$work/data" "${db_args[@]}" audit verify
health=$(start >/dev/null; curl -sf "http://127.0.0.1:$port/healthz"; kill -TERM "$server"; wait "$server" 2>/dev/null || true)
echo "kill -9 twice under load: $acked acknowledged, $missing missing, $duplicates duplicate numbers; $(echo "$health" | tail -1)"
[ "$missing" -eq 0 ] && [ "$duplicates" -eq 0 ] && echo "$health" | grep -q "search: complete"
