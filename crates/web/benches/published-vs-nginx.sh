#!/usr/bin/env bash
# Published pages against nginx on the same bytes (issue #15), in one run on loopback: the
# published 2023 report page and the home page of the demo, each fetched from gongkai and then
# served by nginx as static files; wrk with CONNECTIONS connections for DURATION seconds each.
# Prints requests/s and p99 for both and the ratio, for the report page, the home page and the
# report's PDF; then the home page's latency while PDFs are being downloaded. Bounded: about
# 9 × DURATION seconds.
#
#   apt-get install nginx wrk && cargo build --release
#   crates/web/benches/published-vs-nginx.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
duration=${1:-10}
connections=${2:-64}
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "needs $tool: apt-get install $tool" >&2; exit 2; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
bin=target/release/gongkai
work=$(mktemp -d)
trap 'kill "$server" "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18191
nginx_port=18192
"$bin" --data-dir "$work/data" serve --demo --bind "127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

mkdir -p "$work/static/reports" "$work/tmp"
curl -sf "http://127.0.0.1:$port/reports/2023" -o "$work/static/reports/2023.html"
curl -sf "http://127.0.0.1:$port/" -o "$work/static/index.html"
curl -sf "http://127.0.0.1:$port/reports/2023.pdf" -o "$work/static/reports/2023.pdf"
sed -e "s#WORK#$work#g" -e "s#PORT#$nginx_port#g" crates/web/benches/nginx-static.conf > "$work/nginx.conf"
"$nginx_bin" -c "$work/nginx.conf" -p "$work" &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/index.html" >/dev/null && break; sleep 0.1; done

# "requests/s p99_ms" of one wrk run.
measure() {
  wrk -t2 -c"$2" -d"${duration}s" --latency "$1" > "$work/wrk.txt"
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$work/wrk.txt")
  echo "$rps $p99"
}
compare() {
  local name=$1 ours=$2 theirs=$3
  read -r our_rps our_p99 < <(measure "$ours" "$connections")
  read -r nginx_rps nginx_p99 < <(measure "$theirs" "$connections")
  printf '%-22s gongkai %9.0f req/s p99 %7.2f ms | nginx %9.0f req/s p99 %7.2f ms | %5.1f %% of nginx, p99 %.1f×\n' \
    "$name" "$our_rps" "$our_p99" "$nginx_rps" "$nginx_p99" \
    "$(echo "100 * $our_rps / $nginx_rps" | bc -l)" "$(echo "$our_p99 / $nginx_p99" | bc -l)"
}
echo "bytes: report page $(stat -c %s "$work/static/reports/2023.html"), home page $(stat -c %s "$work/static/index.html"), report PDF $(stat -c %s "$work/static/reports/2023.pdf")"
compare "report page (2023)" "http://127.0.0.1:$port/reports/2023" "http://127.0.0.1:$nginx_port/reports/2023.html"
compare "home page" "http://127.0.0.1:$port/" "http://127.0.0.1:$nginx_port/index.html"
compare "report PDF (2023)" "http://127.0.0.1:$port/reports/2023.pdf" "http://127.0.0.1:$nginx_port/reports/2023.pdf"
# The home page alone, then while sixteen clients download the PDF.
read -r _ alone_p99 < <(measure "http://127.0.0.1:$port/" 16)
wrk -t1 -c16 -d"${duration}s" "http://127.0.0.1:$port/reports/2023.pdf" > /dev/null &
downloads=$!
read -r _ busy_p99 < <(measure "http://127.0.0.1:$port/" 16)
wait "$downloads"
printf 'home page p99 alone %.2f ms, while PDFs download %.2f ms\n' "$alone_p99" "$busy_p99"
echo "server peak resident (VmHWM): $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
