#!/usr/bin/env bash
# A long import beside public submissions (issue #14): one client submits applications through
# the API, one after another, while `gongkai applications import` writes 19 999 historical
# cases (the bound is 20 000 lines) into the same SQLite database, and then while a clerk
# imports a 19 999-row register through the web. Prints how long submissions took before,
# during and after each import, and how long each import took. About a minute.
#
#   cargo build --release && crates/web/benches/import-while-submitting.sh [target/release/gongkai]
set -euo pipefail
bin=${1:-target/release/gongkai}
port=${PORT:-18091}
work=$(mktemp -d)
trap 'kill "$server" $(jobs -p) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

"$bin" --data-dir "$work/data" serve --demo --bind "127.0.0.1:$port" \
  --public-per-minute 1000000 --public-per-day 1000000 --applicant-per-day 1000000 \
  > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
with open(f"{work}/cases.csv", "w") as f:
    f.write("申请编号,收到日期,申请人类型,答复日期,办理结果,申请人,申请内容\n")
    for i in range(1, 20000):
        f.write(f"2019-{i:05},2019-0{i % 9 + 1}-10,自然人,2019-0{i % 9 + 1}-25,予以公开,历史申请人{i % 997},某项政府信息第{i}件\n")
with open(f"{work}/register.csv", "w") as f:
    f.write("类别,名称,文号,制发日期\n")
    for i in range(1, 20000):
        f.write(f"行政规范性文件,关于某事项的通知{i},示发〔2019〕{i}号,2019-0{i % 9 + 1}-10\n")
PY

# One submission after another; each line: when it started (seconds since the epoch), seconds
# it took, status.
submitter() {
  local n=0
  while :; do
    n=$((n + 1))
    body="{\"agency\":\"demo\",\"applicant\":{\"kind\":\"natural_person\",\"name\":\"压测\",\"id_type\":\"other\",\"id_name\":\"护照\",\"id_number\":\"E$n\",\"phone\":\"13800000000\"},\"content\":\"某项政府信息第$n件\",\"wanted_form\":\"电子\"}"
    curl -s -o /dev/null -m 30 -w "$(date +%s.%N) %{time_total} %{http_code}\n" \
      -H 'content-type: application/json' -d "$body" \
      "http://127.0.0.1:$port/api/v1/applications" >> "$work/latency" || true
  done
}
mark() { date +%s.%N >> "$work/marks"; }
submitter &
sleep 5
mark
started=$(date +%s.%N)
"$bin" --data-dir "$work/data" applications import "$work/cases.csv" --agency demo \
  2> "$work/cli.err" || { cat "$work/cli.err"; exit 1; }
echo "CLI import of 19 999 cases: $(echo "$(date +%s.%N) - $started" | bc) s; $(tail -1 "$work/cli.err")"
mark
sleep 5
mark
csrf_of() { sed -n 's/.*name="csrf" value="\([A-Za-z0-9]*\)".*/\1/p' | sed -n 1p; }
jar="$work/staff"
csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$port/staff/login" | csrf_of)
curl -sf -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&user=clerk&password=gongkai-demo" "http://127.0.0.1:$port/staff/login"
csrf=$(curl -sf -b "$jar" "http://127.0.0.1:$port/staff/register20" | csrf_of)
started=$(date +%s.%N)
page=$(curl -s -o /dev/null -w "%{http_code} %{time_total} %{redirect_url}" -b "$jar" -F csrf="$csrf" -F year=2019 \
  -F "files=@$work/register.csv" "http://127.0.0.1:$port/staff/register20/import")
echo "web register import of 19 999 rows: request answered $page"
job=${page##* }
until curl -sf -b "$jar" "$job" | grep -q '已完成\|未完成'; do sleep 0.2; done
echo "  job ended after $(echo "$(date +%s.%N) - $started" | bc) s: $(curl -sf -b "$jar" "$job" | grep -o '已导入 [0-9/]* 份（[0-9]*%）' | head -1)"
mark
sleep 3
kill %2 2>/dev/null || true

python3 - "$work/latency" "$work/marks" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
marks = [float(l) for l in open(sys.argv[2])]
def window(a, b):
    return sorted(float(t) for (start, t, code) in rows if a <= float(start) < b and code == "201")
def show(name, xs):
    if not xs:
        print(f"{name}: no submissions"); return
    p = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
    print(f"{name}: {len(xs)} submissions, median {p(0.5)*1000:.0f} ms, p99 {p(0.99)*1000:.0f} ms, max {xs[-1]*1000:.0f} ms")
show("before the imports       ", window(0, marks[0]))
show("during the CLI import    ", window(marks[0], marks[1]))
show("between                  ", window(marks[1], marks[2]))
show("during the web import    ", window(marks[2], marks[3]))
from collections import Counter
print("refused or failed submissions:", dict(Counter(r[2] for r in rows if r[2] != "201")) or 0)
PY
echo "server peak resident (VmHWM): $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
