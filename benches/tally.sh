#!/usr/bin/env bash
# End-to-end speed of `statusbrowse tally` against the shell pipeline people use
# today, on the same generated nginx combined log:
#
#   awk '{print $9}' access.log | sort | uniq -c
#
# Usage: benches/tally.sh [SIZE_MB]   (default 1024; the log is written once to
# target/bench/access-SIZE.log and reused). Needs a release build; uses
# hyperfine when installed, else bash's `time` over RUNS runs (best shown).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${1:-1024}
runs=${RUNS:-3}
log=target/bench/access-${size_mb}.log
bin=target/release/statusbrowse

[ -x "$bin" ] || cargo build --release
mkdir -p target/bench

if [ ! -s "$log" ]; then
  echo "generating $log (${size_mb} MB)..." >&2
  # About 150 bytes a line, 400 lines a second; from the second to the third
  # hour a third of the requests fail with 502, like a site losing its upstream.
  awk -v bytes=$((size_mb * 1024 * 1024)) 'BEGIN {
    srand(10)
    split("200 200 200 200 200 200 200 200 200 200 200 200 304 304 301 302 404 404 401 403 499 500 502 502 503 504", codes, " ")
    split("/ /api/orders /api/orders/1842 /static/app.js /login /health /img/logo.png /search?q=status+codes", paths, " ")
    split("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0|curl/8.5.0|kube-probe/1.30|Go-http-client/2.0", agents, "|")
    written = 0; n = 0
    while (written < bytes) {
      second = int(n / 400)
      stamp = sprintf("%02d/Nov/2026:%02d:%02d:%02d +0000", 23, int(second / 3600) % 24, int(second / 60) % 60, second % 60)
      code = codes[1 + int(rand() * 26)]
      if (second >= 3600 && second < 7200 && rand() < 0.33) code = "502"
      line = sprintf("%d.%d.%d.%d - - [%s] \"GET %s HTTP/1.1\" %s %d \"https://shop.example.com/\" \"%s\"",
        1 + int(rand() * 223), int(rand() * 256), int(rand() * 256), int(rand() * 256), stamp,
        paths[1 + int(rand() * 8)], code, int(rand() * 90000), agents[1 + int(rand() * 4)])
      print line
      written += length(line) + 1; n++
    }
  }' > "$log"
fi

echo "log: $log, $(du -h "$log" | cut -f1), $(wc -l < "$log") lines; $(nproc) cores" >&2
baseline="awk '{print \$9}' $log | sort | uniq -c"
ours="$bin tally $log"
# Drill-down on: the top paths, clients per code kept for every code; and for the 5xx only.
drill="$bin tally --top 3 $log"
drill_5xx="$bin tally --code 5xx --top 3 $log"

if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "$runs" --export-markdown target/bench/tally.md \
    -n "awk | sort | uniq -c" "$baseline > /dev/null" -n "statusbrowse tally" "$ours > /dev/null" \
    -n "statusbrowse tally --top 3" "$drill > /dev/null" \
    -n "statusbrowse tally --code 5xx --top 3" "$drill_5xx > /dev/null"
  exit 0
fi

# Warm the page cache so both commands read from memory.
cat "$log" > /dev/null
TIMEFORMAT=%R
best() {
  local best_time=""
  for _ in $(seq "$runs"); do
    local t
    t=$( { time bash -c "$1" > /dev/null; } 2>&1 )
    if [ -z "$best_time" ] || awk -v a="$t" -v b="$best_time" 'BEGIN { exit !(a < b) }'; then best_time=$t; fi
  done
  echo "$best_time"
}
awk_time=$(best "$baseline")
ours_time=$(best "$ours")
drill_time=$(best "$drill")
drill_5xx_time=$(best "$drill_5xx")
echo "awk | sort | uniq -c                   : ${awk_time} s (best of $runs)"
echo "statusbrowse tally                     : ${ours_time} s (best of $runs)"
echo "statusbrowse tally --top 3             : ${drill_time} s (best of $runs)"
echo "statusbrowse tally --code 5xx --top 3  : ${drill_5xx_time} s (best of $runs)"
awk -v a="$awk_time" -v b="$ours_time" -v c="$drill_time" -v d="$drill_5xx_time" \
  'BEGIN { printf "speed-up                               : %.1fx; with drill-down %.1fx, for the 5xx %.1fx\n", a / b, a / c, a / d }'
