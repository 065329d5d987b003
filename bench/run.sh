#!/usr/bin/env bash
# The build benchmark: bulletin against Hugo on equivalent synthetic corpora.
#
#   bash bench/run.sh                                   # 1,000, 10,000 and 100,000 pages
#   BENCH_PAGES="1000" BENCH_RUNS=3 bash bench/run.sh   # quicker
#   BENCH_SOLO="1000000" bash bench/run.sh              # also bulletin alone at 1,000,000 pages
#   BENCH_FS=disk bash bench/run.sh                     # on the project's disk instead of tmpfs
#
# By default everything (corpora, outputs) lives on tmpfs (/dev/shm), so the figures are the
# programs' and not the disk's; BENCH_FS=disk measures on bench/out's file system (ext4 here).
# Hugo runs with --buildFuture: the generator dates items into the future, and without the flag
# Hugo silently skips them.
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
pages_list=${BENCH_PAGES:-"1000 10000 100000"}
solo_list=${BENCH_SOLO:-}
runs=${BENCH_RUNS:-5}
fs=${BENCH_FS:-tmpfs}
case "$fs" in
tmpfs) work=/dev/shm/bulletin-bench ;;
disk) work="$out/work" ;;
*) echo "BENCH_FS must be tmpfs or disk" >&2; exit 2 ;;
esac
mkdir -p "$work"
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

scale="$out/scale.csv"
echo "pages,bulletin_s,bulletin_mib,hugo_s,hugo_mib" >"$scale"

scale_row() { # pages b_json b_rss_kib h_json h_rss_kib
    local bw bc hw hc
    read -r bw bc < <(times_of "$2")
    read -r hw hc < <(times_of "$4")
    awk -v p="$1" -v bw="$bw" -v bm="$3" -v hw="$hw" -v hm="$5" \
        'BEGIN { printf "%d,%.3f,%.0f,%.3f,%.0f\n", p, bw, bm / 1024, hw, hm / 1024 }' >>"$scale"
}

edits="$out/edits.md"
echo "| pages | no-op build | one-article edit, then build | its peak RSS |
|---|---|---|---|" >"$edits"
# A no-op build and a build after appending a paragraph to one article (median of $runs each),
# over the site the rebuilds above left.
edit_row() { # root site pages
    local article orig noop edit rss
    article=$(find "$1/content/articles" -name '*.md' | sort | sed -n 1p)
    orig=$(mktemp)
    cp "$article" "$orig"
    "$bin" build --root "$1" --out "$2" >/dev/null 2>&1
    hyperfine --style none --runs "$runs" --export-json "$work/noop.json" \
        "'$bin' build --root '$1' --out '$2' 2>/dev/null" >/dev/null
    hyperfine --style none --runs "$runs" --export-json "$work/edit.json" \
        --prepare "printf '\\n改动 %s。\\n' \$(date +%s%N) >>'$article'" \
        "'$bin' build --root '$1' --out '$2' 2>/dev/null" >/dev/null
    printf '\n改动。\n' >>"$article"
    rss=$(/usr/bin/time -f '%M' "$bin" build --root "$1" --out "$2" 2>&1 >/dev/null | tail -1)
    cp "$orig" "$article" && rm -f "$orig"
    read -r noop _ < <(times_of "$work/noop.json")
    read -r edit _ < <(times_of "$work/edit.json")
    awk -v p="$3" -v n="$noop" -v e="$edit" -v m="$rss" \
        'BEGIN { printf "| %d | %.0f ms | %.0f ms | %.0f MiB |\n", p, n * 1000, e * 1000, m / 1024 }' >>"$edits"
}

for n in $pages_list; do
    dir="$work/$n"
    b="$dir/bulletin"
    h="$dir/hugo"
    runs_dir="$dir/runs"
    mkdir -p "$dir"
    python3 bench/gen.py --pages "$n" --hugo "$h" "$b" 2>"$dir/gen.log" || { cat "$dir/gen.log" >&2; exit 1; }
    cat "$dir/gen.log" >&2

    # One untimed build of each checks that the corpus builds and gives the page counts.
    "$bin" build --root "$b" --out "$dir/site-bulletin" 2>/dev/null
    rm -rf "$dir/site-hugo" && hugo --quiet --buildFuture -s "$h" -d "$dir/site-hugo"
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
        "hugo --quiet --buildFuture -s '$h' -d '$runs_dir'/h-\$(date +%s%N)" >/dev/null
    bm=$(peak_rss "$runs_dir" "$bin" build --root "$b" --out "{out}-b")
    hm=$(peak_rss "$runs_dir" hugo --quiet --buildFuture -s "$h" -d "{out}-h")
    row "$full" "$b_pages" "$h_pages" "$dir/full-bulletin.json" "$dir/full-hugo.json" "$bm" "$hm" "$l0"
    scale_row "$b_pages" "$dir/full-bulletin.json" "$bm" "$dir/full-hugo.json" "$hm"

    # Rebuilds over the previous output.
    settle_fs "$runs_dir"
    l0=$(load)
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/rebuild-bulletin.json" \
        "'$bin' build --root '$b' --out '$dir/site-bulletin' 2>/dev/null" >/dev/null
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$dir/rebuild-hugo.json" \
        "hugo --quiet --buildFuture -s '$h' -d '$dir/site-hugo'" >/dev/null
    row "$rebuild" "$b_pages" "$h_pages" "$dir/rebuild-bulletin.json" "$dir/rebuild-hugo.json" \
        "$(peak_rss "$dir" "$bin" build --root "$b" --out "$dir/site-bulletin")" \
        "$(peak_rss "$dir" hugo --quiet --buildFuture -s "$h" -d "$dir/site-hugo")" "$l0"
    edit_row "$b" "$dir/site-bulletin" "$b_pages"
    rm -rf "$h" "$dir/site-hugo"
done

# bulletin alone at sizes Hugo need not run at (1,000,000 pages: Hugo would need ~90 GB).
for n in $solo_list; do
    dir="$work/$n"
    b="$dir/bulletin"
    mkdir -p "$dir"
    python3 bench/gen.py --pages "$n" "$b" 2>"$dir/gen.log" || { cat "$dir/gen.log" >&2; exit 1; }
    settle_fs "$dir/runs"
    mkdir -p "$dir/runs"
    /usr/bin/time -f '%e %M' -o "$dir/solo.time" "$bin" build --root "$b" --out "$dir/runs/b" 2>/dev/null
    read -r secs kib <"$dir/solo.time"
    b_pages=$(find "$dir/runs/b" -name '*.html' | wc -l)
    echo "$b_pages,$secs,$(awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1024 }'),," >>"$scale"
    edit_row "$b" "$dir/runs/b" "$b_pages"
    rm -rf "$dir"
done

{
    echo "File system: $fs ($(df -T "$work" | awk 'NR == 2 { print $2 }'), $work)."
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
    echo
    echo "bulletin's editor loop over the rebuilt site:"
    echo
    cat "$edits"
    echo
    echo "Time and memory against pages (full builds; also bench/out/scale.csv):"
    echo
    echo '![time and memory against pages](scale.svg)'
} >"$out/results.md"
python3 bench/chart.py "$scale" "$out/scale.svg"
cat "$out/results.md"
rm -rf "$work"/*/runs
