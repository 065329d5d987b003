#!/usr/bin/env python3
"""Save-to-page latency of `bulletin serve`: edits one article N times and measures, for each
save, the time from the write of the content file to its rebuilt page being on disk.

    bench/serve_latency.py BULLETIN ROOT [--saves 20] [--edit body|title]

ROOT is a site root (e.g. one written by bench/gen.py). Prints each save's latency and the
median. `--edit body` (the default) appends a paragraph to the body, which other pages do not
show (serve's fast path); `--edit title` changes the title, which listings, tag and issue pages
show (the general path). The page is polled every millisecond for the unique text of that save, so the figure
includes the watcher's debounce, the rebuild and the write.
"""
import argparse, glob, os, re, statistics, subprocess, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("bulletin")
ap.add_argument("root")
ap.add_argument("--saves", type=int, default=20)
ap.add_argument("--edit", choices=["body", "title"], default="body")
a = ap.parse_args()

articles = sorted(glob.glob(os.path.join(a.root, "content/articles/**/*.md"), recursive=True))
src = articles[len(articles) // 2]
slug = os.path.splitext(os.path.basename(src))[0]
page = os.path.join(a.root, "site/articles", slug, "index.html")
original = open(src, encoding="utf-8").read()

proc = subprocess.Popen([a.bulletin, "--root", a.root, "serve", "--port", "0"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
ready = threading.Event()
log = []
def reader():
    for line in proc.stdout:
        log.append(line.rstrip())
        if line.startswith("serving http://"):
            ready.set()
threading.Thread(target=reader, daemon=True).start()
if not ready.wait(300):
    sys.exit("serve did not start:\n" + "\n".join(log))
time.sleep(3)  # let the start-up warm-up (all Markdown bodies) finish before the first save

times = []
try:
    for i in range(a.saves):
        marker = f"基准测试第{i}次保存-{time.time_ns()}"
        if a.edit == "body":
            text = original.rstrip("\n") + f"\n\n{marker}\n"
        else:
            # Inside the quotes, if the title is quoted.
            text = re.sub(r'^title: ("?)(.*?)("?)$',
                          lambda m: f"title: {m.group(1)}{m.group(2)}{marker}{m.group(3)}",
                          original, count=1, flags=re.M)
            assert marker in text, "no title line"
        t0 = time.perf_counter()
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        deadline = t0 + 30
        while True:
            try:
                if marker in open(page, encoding="utf-8").read():
                    break
            except FileNotFoundError:
                pass
            if time.perf_counter() > deadline:
                sys.exit(f"save {i}: page not rebuilt within 30 s\n" + "\n".join(log[-20:]))
            time.sleep(0.001)
        times.append((time.perf_counter() - t0) * 1000)
        print(f"save {i + 1:2}: {times[-1]:7.1f} ms", flush=True)
        time.sleep(0.3)  # a pause between saves, as an editor's
finally:
    with open(src, "w", encoding="utf-8") as f:
        f.write(original)
    proc.send_signal(2)
    proc.wait(30)
print(f"median save-to-page over {len(times)} saves: {statistics.median(times):.1f} ms "
      f"(min {min(times):.1f}, max {max(times):.1f})")
