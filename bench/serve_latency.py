#!/usr/bin/env python3
"""Save-to-page latency of `bulletin serve`: edits one article N times and measures, for each
save, the time from the write of the content file to its rebuilt page being on disk.

    bench/serve_latency.py BULLETIN ROOT [--saves 20] [--edit body|title|tag|date]

ROOT is a site root (e.g. one written by bench/gen.py). Prints each save's latency and the
median. `--edit body` (the default) appends a paragraph to the body, which other pages do not
show; `--edit title` changes the title, which listings, tag and issue pages show; `--edit tag`
adds a new tag (a new tag page, and the tags index changes); `--edit date` moves the article
to 2001 and back, every other save (it moves in every listing it is on, to the end and back,
shifting every page between). The page is
polled every millisecond for the unique text of that save, so the figure includes the watcher's
debounce, the rebuild and the write. `done` is the time until `serve` reports the rebuild
finished (every changed page written), read from its output.
"""
import argparse, glob, os, re, statistics, subprocess, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("bulletin")
ap.add_argument("root")
ap.add_argument("--saves", type=int, default=20)
ap.add_argument("--edit", choices=["body", "title", "tag", "date"], default="body")
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
rebuilt = []  # (time read, line) of each "rebuilt in" report
def reader():
    for line in proc.stdout:
        log.append(line.rstrip())
        if line.startswith("serving http://"):
            ready.set()
        if line.startswith("rebuilt in"):
            rebuilt.append((time.perf_counter(), line.rstrip()))
threading.Thread(target=reader, daemon=True).start()
if not ready.wait(300):
    sys.exit("serve did not start:\n" + "\n".join(log))
time.sleep(3)  # let the start-up warm-up (all Markdown bodies) finish before the first save

times = []
done = []
try:
    for i in range(a.saves):
        marker = f"基准测试第{i}次保存-{time.time_ns()}"
        if a.edit == "body":
            text = original.rstrip("\n") + f"\n\n{marker}\n"
        elif a.edit == "tag":
            text = re.sub(r'^tags: \[', f'tags: ["{marker}", ', original, count=1, flags=re.M)
            assert marker in text, "no tags line"
        elif a.edit == "date":
            # Alternate between its own year and one before every other item's, so every save
            # moves the article across the listings; the marker goes into the body so that the
            # page can be polled for it.
            text = original
            if i % 2 == 0:
                text = re.sub(r'^date: \d{4}', "date: 2001", original, count=1, flags=re.M)
            text = text.rstrip("\n") + f"\n\n{marker}\n"
        else:
            # Inside the quotes, if the title is quoted.
            text = re.sub(r'^title: ("?)(.*?)("?)$',
                          lambda m: f"title: {m.group(1)}{m.group(2)}{marker}{m.group(3)}",
                          original, count=1, flags=re.M)
            assert marker in text, "no title line"
        reports = len(rebuilt)
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
        while len(rebuilt) == reports and time.perf_counter() < deadline:
            time.sleep(0.001)
        if len(rebuilt) == reports:
            sys.exit(f"save {i}: no rebuild report\n" + "\n".join(log[-20:]))
        done.append((rebuilt[reports][0] - t0) * 1000)
        print(f"save {i + 1:2}: page {times[-1]:7.1f} ms, done {done[-1]:7.1f} ms  "
              f"({rebuilt[reports][1]})", flush=True)
        time.sleep(0.3)  # a pause between saves, as an editor's
finally:
    with open(src, "w", encoding="utf-8") as f:
        f.write(original)
    proc.send_signal(2)
    proc.wait(30)
print(f"median save-to-page over {len(times)} saves: {statistics.median(times):.1f} ms "
      f"(min {min(times):.1f}, max {max(times):.1f}); "
      f"save-to-done: {statistics.median(done):.1f} ms (min {min(done):.1f}, max {max(done):.1f})")
