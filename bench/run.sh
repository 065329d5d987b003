#!/usr/bin/env bash
# The build benchmark: bulletin against Hugo on equivalent synthetic corpora.
#
#   bash bench/run.sh                                   # 1,000 and 10,000 pages, 7 runs each
#   BENCH_PAGES="1000" BENCH_RUNS=3 bash bench/run.sh   # quicker
#
# For each size it generates the corpus (bench/gen.py, seeded, both a bulletin root and the
# equivalent Hugo site), then measures with hyperfine (median wall time, mean CPU time) and GNU
# time (median peak RSS):
#   - full build: each run writes into a new, empty output folder (nothing is deleted while
#     timing, see "The file system" in docs/benchmarks.md);
#   - rebuild: each run builds again over the output of the previous one (bulletin swaps in a
#     new folder and deletes the old one; Hugo overwrites files in place).
# Prints Markdown tables, also written to bench/out/results.md. Everything it writes is under
# bench/out (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
out="$repo/bench/out"
pages_list=${BENCH_PAGES:-"1000 10000"}
runs=${BENCH_RUNS:-7}
# ext4 without a journal skips inodes freed less than dirty_expire_centisecs ago (30 s here) when
# it allocates new ones; waiting that long after deleting a large tree keeps one measurement's
# clean-up out of the next one's time.
settle=${BENCH_SETTLE:-$(($(cat /proc/sys/vm/dirty_expire_centisecs 2>/dev/null || echo 3000) / 100 + 2))}
mkdir -p "$out"

# Tools: installed from Debian only when missing (apt-get update once).
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
command -v hyperfine >/dev/null || missing+=(hyperfine)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --quiet
bin="$repo/target/release/bulletin"

# Median of the peak RSS (KiB) over $runs runs of a command. "{out}" in the arguments is
# replaced by a new output folder each run.
peak_rss() {
    local dest=$1
    shift
    local i samples=() args
    for ((i = 0; i < runs; i++)); do
        args=("${@//\{out\}/$dest/rss-$i}")
        samples+=("$(/usr/bin/time -f '%M' "${args[@]}" 2>&1 >/dev/null | tail -1)")
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# "wall_median cpu_mean" (seconds) from a hyperfine JSON export.
times_of() {
    python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["user"] + r["system"])' "$1"
}

settle_fs() {
    rm -rf "$@"
    sync
    sleep "$settle"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

hugo_version=$(hugo version | awk '{print $2}')
full="$out/full.md"
rebuild="$out/rebuild.md"
header="| pages (bulletin / Hugo) | bulletin wall | bulletin CPU | bulletin peak RSS | Hugo wall | Hugo CPU | Hugo peak RSS | Hugo wall / bulletin wall | load avg before → after |
|---|---|---|---|---|---|---|---|---|"
echo "$header" >"$full"
echo "$header" >"$rebuild"

row() { # file b_pages h_pages b_json h_json b_rss h_rss load_before
    local bw bc hw hc
    read -r bw bc < <(times_of "$4")
    read -r hw hc < <(times_of "$5")
    awk -v f="$1" -v bp="$2" -v hp="$3" -v bw="$bw" -v bc="$bc" -v hw="$hw" -v hc="$hc" \
        -v bm="$6" -v hm="$7" -v l0="$8" -v l1="$(load)" 'BEGIN {
        printf "| %d / %d | %.2f s | %.2f s | %.0f MiB | %.2f s | %.2f s | %.0f MiB | %.1f× | %s → %s |\n",
            bp, hp, bw, bc, bm / 1024, hw, hc, hm / 1024, hw / bw, l0, l1 >> f
    }'
}

for n in $pages_list; do
    dir="$out/$n"
    b="$dir/bulletin"
    h="$dir/hugo"
    runs_dir="$dir/runs"
    mkdir -p "$dir"
    python3 bench/gen.py --pages "$n" --hugo "$h" "$b" 2>"$dir/gen.log" || { cat "$dir/gen.log" >&2; exit 1; }
    cat "$dir/gen.log" >&2

    # One untimed build of each checks that the corpus builds and gives the page counts.
    "$bin" build --root "$b" --out "$dir/site-bulletin" 2>/dev/null
    rm -rf "$dir/site-hugo" && hugo --quiet -s "$h" -d "$dir/site-hugo"
    b_pages=$(find "$dir/site-bulletin" -name '*.html' | wc -l)
    # Hugo writes a redirect page at …/page/1/ for every paginated list: not a page.
    h_pages=$(find "$dir/site-hugo" -name '*.html' -not -path '*/page/1/index.html' | wc -l)

    # Full builds into new folders.
    settle_fs "$runs_dir"
    mkdir -p "$runs_dir"
    l0=$(load)
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/full-bulletin.json" \
        "'$bin' build --root '$b' --out '$runs_dir'/b-\$(date +%s%N) 2>/dev/null" >/dev/null
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/full-hugo.json" \
        "hugo --quiet -s '$h' -d '$runs_dir'/h-\$(date +%s%N)" >/dev/null
    bm=$(peak_rss "$runs_dir" "$bin" build --root "$b" --out "{out}-b")
    hm=$(peak_rss "$runs_dir" hugo --quiet -s "$h" -d "{out}-h")
    row "$full" "$b_pages" "$h_pages" "$dir/full-bulletin.json" "$dir/full-hugo.json" "$bm" "$hm" "$l0"

    # Rebuilds over the previous output.
    settle_fs "$runs_dir"
    l0=$(load)
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/rebuild-bulletin.json" \
        "'$bin' build --root '$b' --out '$dir/site-bulletin' 2>/dev/null" >/dev/null
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/rebuild-hugo.json" \
        "hugo --quiet -s '$h' -d '$dir/site-hugo'" >/dev/null
    row "$rebuild" "$b_pages" "$h_pages" "$dir/rebuild-bulletin.json" "$dir/rebuild-hugo.json" \
        "$(peak_rss "$dir" "$bin" build --root "$b" --out "$dir/site-bulletin")" \
        "$(peak_rss "$dir" hugo --quiet -s "$h" -d "$dir/site-hugo")" "$l0"
done

{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
    echo "bulletin $("$bin" --version | awk '{print $2}') (release build), Hugo $hugo_version."
    echo "Wall: median of $runs runs after one warm-up; CPU: mean user + system time; peak RSS: median of $runs runs."
    echo
    echo "Full build into a new, empty folder:"
    echo
    cat "$full"
    echo
    echo "Rebuild over the previous build's output:"
    echo
    cat "$rebuild"
} >"$out/results.md"
cat "$out/results.md"
rm -rf "$out"/*/runs
