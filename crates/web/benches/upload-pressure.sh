#!/usr/bin/env bash
# Upload pressure (issue #14): sixteen clients each send a 200 MB file to the public
# application form while a clerk imports a sparse spreadsheet (cells A1 and XFD1048575) into
# the catalog; prints the server's peak resident memory (VmHWM) and what the clients got.
# Bounded: the files are refused after 20 MB, the import at once; the run takes a minute or so.
#
#   cargo build --release && crates/web/benches/upload-pressure.sh [target/release/gongkai]
set -euo pipefail
bin=${1:-target/release/gongkai}
port=${PORT:-18090}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" --data-dir "$work/data" serve --demo --bind "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
echo "server up; resident after start: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"

# A 200 MB "PDF" and the sparse workbook.
{ printf '%%PDF-1.4\n'; head -c $((200 * 1024 * 1024)) /dev/zero; } > "$work/big.pdf"
python3 - "$work/bomb.xlsx" <<'PY'
import sys, zipfile
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<dimension ref="A1:XFD1048575"/><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>公开事项</t></is></c></row>'
         '<row r="1048575"><c r="XFD1048575" t="inlineStr"><is><t>x</t></is></c></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet)
PY
echo "bomb.xlsx: $(stat -c %s "$work/bomb.xlsx") bytes"

csrf_of() { sed -n 's/.*name="csrf" value="\([A-Za-z0-9]*\)".*/\1/p' | sed -n 1p; }
upload() {
  local jar="$work/jar$1"
  local csrf
  csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$port/agencies/demo/apply" | csrf_of)
  curl -s -o /dev/null -w "%{http_code}\n" -b "$jar" \
    -F csrf="$csrf" -F kind=natural_person -F name=压力测试 -F id_type=other -F id_name=护照 \
    -F id_number=E$1 -F phone=13800000000 -F content=某项政府信息 -F wanted_form=电子 \
    -F "files=@$work/big.pdf;type=application/pdf" \
    "http://127.0.0.1:$port/agencies/demo/apply" > "$work/code$1" || echo "reset" > "$work/code$1"
}
import_bomb() {
  local jar="$work/staff"
  local csrf
  csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$port/staff/login" | csrf_of)
  curl -sf -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&user=clerk&password=gongkai-demo" "http://127.0.0.1:$port/staff/login"
  csrf=$(curl -sf -b "$jar" "http://127.0.0.1:$port/staff/catalog" | csrf_of)
  curl -s -o "$work/import.html" -w "%{http_code}\n" -b "$jar" -F csrf="$csrf" \
    -F "files=@$work/bomb.xlsx" "http://127.0.0.1:$port/staff/catalog" > "$work/import-code"
}
started=$(date +%s)
for i in $(seq 16); do upload "$i" & done
import_bomb &
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
sleep 1
echo "took $(( $(date +%s) - started )) s"
echo "uploads answered: $(cat "$work"/code* | sort | uniq -c | tr '\n' ' ')"
echo "sparse import: HTTP $(cat "$work/import-code"), $(grep -o '第1048575行第16384列超出[^<]*' "$work/import.html" | head -1)"
curl -sf "http://127.0.0.1:$port/healthz" | head -1
echo "server peak resident (VmHWM): $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
