#!/usr/bin/env bash
# Remakes the reports as agencies publish them, from crates/report/testdata:
#   libreoffice/NAME.pdf   our Word rendering printed to PDF by LibreOffice (Writer), as offices do
#   libreoffice/NAME.docx  the same Word file saved again by LibreOffice
#   scanned/NAME-P.png     pages of our PDF as a scanner gives them (grey, tilted, speckled)
# Needs Debian's libreoffice-writer-nogui, poppler-utils and imagemagick, and a built gongkai.
# The files are committed: the tests read them without any of these installed.
set -euo pipefail
cd "$(dirname "$0")"
bin=${GONGKAI:-../../../target/release/gongkai}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p libreoffice scanned
for source in ../../report/testdata/*.txt ../../report/testdata/*.html; do
  name=$(basename "${source%.*}")
  "$bin" report render "$source" --format docx -o "$work/$name.docx"
  "$bin" report render "$source" --format pdf -o "$work/$name.pdf"
  soffice --headless --convert-to pdf --outdir libreoffice "$work/$name.docx" >/dev/null
  soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$work/lo" "$work/$name.docx" >/dev/null
  mv "$work/lo/$name.docx" "libreoffice/$name.docx"
done
