#!/usr/bin/env bash
# The search benchmark (docs/benchmarks.md, "Search"): at BENCH_PAGES pages (10,000 unless
# told), the index's size against the HTML's, the build's time and memory, and first and warm
# queries in a fresh headless Chromium from a plain static server (python3 -m http.server, no
# compression). With PAGEFIND=/path/to/node_modules/.bin/pagefind (install it in a scratch
# folder: `npm install pagefind`, never in this repo), Pagefind indexes the same site too.
# Everything it writes is under bench/out/search (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out="$repo/bench/out/search"
pages=${BENCH_PAGES:-10000}
port=${BENCH_PORT:-8941}
queries=(新能源汽车 供应链金融 国务院办公厅 政策 融资 关于加快推进 零动智融 "专精特新 中小企业")
rm -rf "$out" && mkdir -p "$out"

cargo build --release --quiet
python3 bench/gen.py --pages "$pages" --templates "$repo/templates" "$out/corpus" >/dev/null
/usr/bin/time -f "build: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
    target/release/bulletin --root "$out/corpus" build --clean --out "$out/site" 2>&1 | tail -n 1

python3 - "$out/site" <<'EOF'
import os, sys
site = sys.argv[1]
def size(top):
    total = files = 0
    for d, _, fs in os.walk(top):
        for f in fs:
            total += os.path.getsize(os.path.join(d, f)); files += 1
    return total, files
html = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(site) for f in fs
           if f.endswith(".html") and not os.path.relpath(d, site).startswith("search"))
idx, n = size(os.path.join(site, "search"))
idx -= os.path.getsize(os.path.join(site, "search", "index.html"))
print(f"HTML {html:,} B; index {idx:,} B in {n - 1:,} files = {100 * idx / html:.0f}% of the HTML")
for part in ["s", "d"]:
    b, k = size(os.path.join(site, "search", part))
    print(f"  {part}/: {b:,} B in {k:,} files")
print(f"  cols.bin: {os.path.getsize(os.path.join(site, 'search', 'cols.bin')):,} B")
EOF

python3 -m http.server --bind 127.0.0.1 "$port" --directory "$out/site" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
node tests/tools/search_bench.cjs "http://127.0.0.1:$port/" "${queries[@]}"

if [ -n "${PAGEFIND:-}" ]; then
    /usr/bin/time -f "pagefind: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
        "$PAGEFIND" --site "$out/site" --output-path "$out/pagefind" 2>&1 | tail -n 1
    du -sb "$out/pagefind" | awk '{printf "pagefind index: %\047d B\n", $1}'
fi
