#!/usr/bin/env bash
# A province on one machine (issue #15): AGENCIES agencies, PUBLICATIONS published items and
# APPLICATIONS applications of last year generated in an empty PostgreSQL database (SIZES, a
# comma-separated list of publication counts, grows the same province and measures at each);
# three
# `gongkai serve` processes (each with its own data directory, so each keeps its own search
# index and builds it from the database by itself) behind nginx on loopback; then, through
# nginx: portal pages, searches (a common and a rare word), submissions, the supervisor
# roll-up and the annual-report assembly of the root, and each process's peak memory.
# Bounded: generation grows with the sizes (about 5 minutes at 250 000 items and 1 000 000
# applications), each wrk run lasts DURATION seconds, each single request at most 15 minutes.
#
#   apt-get install nginx wrk postgresql && cargo build --release
#   crates/web/benches/province.sh postgres://USER@127.0.0.1:PORT/postgres \
#       [SIZES] [APPLICATIONS] [AGENCIES] [DURATION_SECONDS]
#   e.g. SIZES=250000,1000000,2000000
set -euo pipefail
cd "$(dirname "$0")/../../.."
admin_url=${1:?"usage: $0 postgres://USER@HOST:PORT/postgres [SIZES] [APPLICATIONS] [AGENCIES] [DURATION]"}
sizes=${2:-250000}
applications=${3:-1000000}
agencies=${4:-10000}
duration=${5:-10}
for tool in wrk nginx psql; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "needs $tool (Debian packages nginx, wrk, postgresql-client)" >&2; exit 2; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
bin=target/release/gongkai
work=$(mktemp -d)
servers=()
cleanup() {
  kill "${servers[@]}" "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
database=gongkai_province
db_url="${admin_url%/*}/$database"
# KEEP_DATABASE=1 measures (and grows) the province an earlier run left, instead of a new one.
if [ "${KEEP_DATABASE:-0}" = 1 ]; then
  echo "keeping the database $database of an earlier run"
else
  psql "$admin_url" -q -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
fi

seconds() { date +%s.%N; }
elapsed() { echo "$(seconds) - $1" | bc -l | xargs printf '%.1f'; }

grow() {
  local publications=$1
  echo
  echo "== province: $agencies agencies, $publications publications, $applications applications"
  local t
  t=$(seconds)
  "$bin" --database-url "$db_url" bench province --agencies "$agencies" \
    --publications "$publications" --applications "$applications"
  echo "generated in $(elapsed "$t") s"
  psql "$db_url" -q -c "VACUUM ANALYZE"
  "$bin" --database-url "$db_url" admin user add boss --agency prov --roles 管理员,审核人,上级监督 >/dev/null 2>&1 || true
  echo "province-bench-pw" | "$bin" --database-url "$db_url" admin user password boss >/dev/null
}

ports=(18201 18202 18203)
nginx_port=18200
cat > "$work/submit.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agency":"prov-t00001","applicant":{"kind":"natural_person","name":"压测","id_type":"other","id_name":"护照","id_number":"E1","phone":"13800000000"},"content":"某项政府信息","wanted_form":"电子"}'
LUA
base="http://127.0.0.1:$nginx_port"

measure_all() {
  servers=()
  for i in 0 1 2; do
    t=$(seconds)
    rm -rf "$work/server$i"
    "$bin" --data-dir "$work/server$i" --database-url "$db_url" serve --bind "127.0.0.1:${ports[$i]}" \
      --trusted-proxy 127.0.0.1/32 --public-per-minute 100000000 --public-per-day 100000000 \
      --applicant-per-day 100000000 > "$work/server$i.log" 2>&1 &
    servers+=($!)
    # A new server builds its own search index from the database before it listens.
    until curl -sf "http://127.0.0.1:${ports[$i]}/healthz" > "$work/health$i" 2>/dev/null; do
      kill -0 "${servers[$i]}" 2>/dev/null || { cat "$work/server$i.log"; exit 1; }
      sleep 0.5
    done
    echo "server $((i + 1)) ready in $(elapsed "$t") s ($(tail -1 "$work/health$i"))"
  done
  mkdir -p "$work/tmp"
  sed -e "s#WORK#$work#g" -e "s#PORT_A#${ports[0]}#g" -e "s#PORT_B#${ports[1]}#g" \
    -e "s#PORT_C#${ports[2]}#g" -e "s#PORT#$nginx_port#g" \
    crates/web/benches/nginx-province.conf > "$work/nginx.conf"
  "$nginx_bin" -c "$work/nginx.conf" -p "$work" &
  base="http://127.0.0.1:$nginx_port"
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

  # "requests/s p50_ms p99_ms" of one wrk run (extra wrk arguments after the address).
  measure() {
    local address=$1; shift
    wrk -t2 -c32 -d"${duration}s" --latency "$@" "$address" > "$work/wrk.txt"  # later -c/-t win
    awk '
      function ms(v) { if (v ~ /us$/) { sub("us", "", v); return v / 1000 } if (v ~ /ms$/) { sub("ms", "", v); return v } sub("s", "", v); return v * 1000 }
      /^Requests\/sec:/ { rps = $2 }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      /Non-2xx or 3xx responses/ { bad = $NF }
      END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }' "$work/wrk.txt"
  }
  row() {
    local name=$1; shift
    read -r rps p50 p99 bad < <(measure "$@")
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$bad"
  }
  echo
  echo "| through nginx, 3 servers, 32 connections, ${duration} s | requests/s | p50 ms | p99 ms | non-2xx |"
  echo "|---|---|---|---|---|"
  row "home page" "$base/"
  row "a township's home page" "$base/agencies/prov-t00001"
  row "a township's 公开目录" "$base/agencies/prov-t00001/publications"
  row "search, common word 「通知」" "$base/search?q=%E9%80%9A%E7%9F%A5"
  row "search, rare word 「地震」" "$base/search?q=%E5%9C%B0%E9%9C%87"
  row "search, common word, 1 client" "$base/search?q=%E9%80%9A%E7%9F%A5" -c1 -t1
  row "search, rare word, 1 client" "$base/search?q=%E5%9C%B0%E9%9C%87" -c1 -t1
  row "online submission (JSON API)" "$base/api/v1/applications" -s "$work/submit.lua"

  # Staff pages of the root, once each, timed whole.
  jar="$work/cookies"
  csrf=$(curl -sf -c "$jar" "$base/staff/login" | sed -n 's/.*name="csrf" value="\([A-Z0-9]*\)".*/\1/p' | sed -n 1p)
  curl -sf -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&user=boss&password=province-bench-pw" "$base/staff/login"
  year=$(( $(date +%Y) - 1 ))
  once() {
    local name=$1 address=$2
    local result
    result=$(curl -s -b "$jar" -m 900 -o "$work/page.html" -w '%{http_code} %{time_total}' "$address")
    printf '| %s | %s | %.1f s |\n' "$name" "${result% *}" "${result#* }"
  }
  echo
  echo "| root agency, one request | status | time |"
  echo "|---|---|---|"
  once "supervisor roll-up, $year ($agencies agencies)" "$base/staff/supervision?year=$year"
  once "annual report assembly of the root, $year" "$base/staff/reports?year=$year"
  echo
  for i in 0 1 2; do
    echo "server $((i + 1)) peak resident (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/${servers[$i]}/status")"
  done
  echo "nginx and PostgreSQL are not counted; database: $(psql "$db_url" -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  kill "${servers[@]}" "$(cat "$work/nginx.pid")"
  wait "${servers[@]}" 2>/dev/null || true
  servers=()
  sleep 1
}

IFS=, read -r -a size_list <<< "$sizes"
for size in "${size_list[@]}"; do
  grow "$size"
  measure_all
done
