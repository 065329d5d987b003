#!/usr/bin/env bash
# The editor loop's figures: full build, no-op build, one-article-edit build, and save-to-page
# in `bulletin serve`, on a synthetic site of N pages (default 10,000) from bench/gen.py.
#
#   bash bench/editor-loop.sh [PAGES] [RUNS]
#
# Builds the release binary, generates bench/out/editor-loop-PAGES (seed 1), then prints the
# median of RUNS runs (default 5) of each build and the median of 20 saves in serve for each
# kind of edit bench/serve_latency.py makes (body, title, tag, date).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
runs=${2:-5}
root=bench/out/editor-loop-$pages
bin=target/release/bulletin
gen=${GEN:-bench/gen.py}

cargo build --release --quiet
if [ ! -d "$root/content" ]; then
  python3 "$gen" --pages "$pages" --templates templates "$root" >/dev/null
fi

# Prints the wall-clock milliseconds of running "$@".
ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

article=$(find "$root/content/articles" -name '*.md' | sort | sed -n 1p)
# The original is kept outside content/ (a stray file there is a content error).
cp "$article" "$root/article.orig"
trap 'mv -f "$root/article.orig" "$article"' EXIT
# A failed build must not pass for a fast one.
"$bin" --root "$root" check >/dev/null

full=$(for _ in $(seq "$runs"); do ms "$bin" --root "$root" build --clean; done | median)
"$bin" --root "$root" build >/dev/null 2>&1
noop=$(for _ in $(seq "$runs"); do ms "$bin" --root "$root" build; done | median)
edit=$(for i in $(seq "$runs"); do
  printf '\n第%s次修改。\n' "$i" >>"$article"
  ms "$bin" --root "$root" build
done | median)
html=$(find "$root/site" -name '*.html' | wc -l)

echo "site: $html HTML pages ($root)"
echo "full build (--clean):      ${full} ms"
echo "no-op build:               ${noop} ms ($(awk -v a="$noop" -v b="$full" 'BEGIN { printf "%.1f", 100 * a / b }')% of full)"
echo "one-article-edit build:    ${edit} ms"
# The clean builds above deleted whole site trees; let the file system settle (see bench/run.sh)
# so that its background work does not land in the serve figures.
sleep $(($(cat /proc/sys/vm/dirty_expire_centisecs 2>/dev/null || echo 3000) / 100 + 2))
for kind in body title tag date; do
  printf 'serve, %-5s edit:         ' "$kind"
  python3 bench/serve_latency.py "$bin" "$root" --saves 20 --edit "$kind" | tail -1
done
