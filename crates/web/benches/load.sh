#!/usr/bin/env bash
# Load benchmark of `gongkai serve` on loopback (bounded: 3 × DURATION seconds).
# Needs wrk and GNU time (Debian: apt-get install wrk time). Usage:
#   crates/web/benches/load.sh [DURATION_SECONDS] [CONNECTIONS]
# Prints requests/s and p99 latency for the home page, a status lookup and an application
# submission, then the server's peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/../../.."
duration=${1:-10}
connections=${2:-16}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release -q -p gongkai
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18181
/usr/bin/time -v -o "$work/time.txt" target/release/gongkai --data-dir "$work/data" serve --demo \
  --bind "127.0.0.1:$port" --public-per-minute 100000000 > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
year=$(date +%Y)
csrf=BENCHBENCHBENCHBENCHBENCHBENCH32
cat > "$work/status.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "gk_csrf=$csrf"
wrk.body = "csrf=$csrf&number=$year-W0001&code=DEMOCODE26"
LUA
boundary=gongkai-bench
for field in "csrf=$csrf" kind=natural_person name=压测 id_type=resident_id id_number=11010519491231002X \
  phone=13800000000 "content=压测用的政府信息公开申请内容" "wanted_form=电子文档（在线下载）" confirm=yes; do
  printf -- '--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' "$boundary" "${field%%=*}" "${field#*=}"
done > "$work/apply.body"
printf -- '--%s--\r\n' "$boundary" >> "$work/apply.body"
cat > "$work/apply.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=$boundary"
wrk.headers["Cookie"] = "gk_csrf=$csrf"
local file = io.open("$work/apply.body", "rb")
wrk.body = file:read("*a")
file:close()
LUA
run() {
  local name=$1 path=$2 script=${3:-}
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency ${script:+-s "$script"} "http://127.0.0.1:$port$path")
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-22s %10s req/s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p99" "${non2xx:-0}"
}
echo "gongkai serve --demo on 127.0.0.1, wrk -t2 -c$connections -d${duration}s, $(nproc) cores"
run "home page" /
run "status lookup" /agencies/demo/status "$work/status.lua"
run "application submission" /agencies/demo/apply "$work/apply.lua"
pkill -INT -P "$server" gongkai || kill -INT "$server"
wait "$server" || true
awk -F: '/Maximum resident set size/ {printf "server peak memory     %d MiB\n", $2 / 1024}' "$work/time.txt"
submitted=$(sqlite3 "$work/data/gongkai.sqlite3" "SELECT COUNT(*) FROM applications WHERE number LIKE '$year-W%'" 2>/dev/null || echo "?")
echo "online applications recorded: $submitted"
