#!/usr/bin/env bash
# Runs the fuzz targets side by side for SECONDS each (default 1800), new inputs kept in the
# git-ignored corpus/, crashes in artifacts/. Needs `cargo install cargo-fuzz` and a nightly
# toolchain. Figures go to RELIABILITY.md. Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(deadline_json spreadsheet markup multipart)
cargo +nightly fuzz build --sanitizer none -O "${targets[@]/#/}" >/dev/null 2>&1 || cargo +nightly fuzz build --sanitizer none -O
mkdir -p logs
for target in "${targets[@]}"; do
  case $target in
    spreadsheet|multipart) max_len=65536 ;;
    *) max_len=8192 ;;
  esac
  mkdir -p "corpus/$target"
  # nice: the fuzzers take the cores only when nothing else wants them.
  nice -n 19 cargo +nightly fuzz run --sanitizer none -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -rss_limit_mb=2048 \
    > "logs/$target.log" 2>&1 &
done
wait
for target in "${targets[@]}"; do
  echo "== $target"; grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|ERROR|panicked" "logs/$target.log" | tail -3
done
