"""Parses an Atom feed with feedparser and checks its fields; prints one line per problem.

Usage: python3 check_feed.py FEED.xml BASE_URL
Exit 0 when the feed is well formed and every entry has an id, title, link under BASE_URL and
a date; 1 otherwise. Prints the entry count and the links on success, for the Rust test.
"""
import sys

import feedparser


def main() -> int:
    path, base = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    feed = feedparser.parse(data)
    problems = []
    if feed.bozo:
        problems.append(f"malformed feed: {feed.bozo_exception}")
    if feed.version != "atom10":
        problems.append(f"not Atom 1.0: {feed.version!r}")
    if not feed.feed.get("title"):
        problems.append("feed has no title")
    ids = set()
    for i, e in enumerate(feed.entries):
        for field in ("id", "title", "link", "updated_parsed"):
            if not e.get(field):
                problems.append(f"entry {i} has no {field}")
        if not e.get("link", "").startswith(base):
            problems.append(f"entry {i} link {e.get('link')!r} is not under {base}")
        if e.get("id") in ids:
            problems.append(f"entry {i} repeats id {e.get('id')}")
        ids.add(e.get("id"))
    for p in problems:
        print("PROBLEM", p)
    print("ENTRIES", len(feed.entries))
    for e in feed.entries:
        print("LINK", e.get("link"), "TITLE", e.get("title"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
