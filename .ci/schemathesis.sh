#!/usr/bin/env bash
# The API against its own OpenAPI document (issue #14): Schemathesis (PyPI, pinned) generates
# requests from /api/openapi.json against a live demo server, as an API client and anonymously,
# and fails on any finding: a server error, a status or content type the document does not
# list, a response that does not match its schema, a schema-valid request refused or a
# schema-violating one accepted (.ci/schemathesis.toml names the operations whose rules
# JSON Schema cannot state). Usage: .ci/schemathesis.sh BIN
set -euo pipefail
bin=$1
port=${PORT:-18097}
work=$(mktemp -d)
server=""
trap '[ -z "$server" ] || kill -9 "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! python3 -m venv "$work/venv" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  python3 -m venv "$work/venv"
fi
"$work/venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5"

# Limits lifted: the run sends thousands of submissions from one address.
"$bin" --data-dir "$work/data" serve --demo --bind "127.0.0.1:$port" \
  --public-per-minute 1000000 --public-per-day 1000000 --applicant-per-day 1000000 \
  > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
token=$("$bin" --data-dir "$work/data" admin token create --user clerk --name schemathesis --days 1 2>/dev/null)
# A fixed seed: the same requests on every run, so that a finding is reproducible.
"$work/venv/bin/schemathesis" --no-color --config-file "$(dirname "$0")/schemathesis.toml" \
  run "http://127.0.0.1:$port/api/openapi.json" \
  -H "Authorization: Bearer $token" --max-examples 100 --seed 20261202 --workers 2
kill -TERM "$server"
wait "$server" || true
server=""
