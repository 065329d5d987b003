#!/usr/bin/env python3
"""Draws bench/run.sh's scale.csv as an SVG: full-build time and peak memory against pages,
bulletin and Hugo, both axes logarithmic, with a dotted line of slope one through bulletin's
first point (what linear growth would look like).

    python3 bench/chart.py bench/out/scale.csv bench/out/scale.svg

Standard library only, like the rest of bench/: it is a dev tool and adds nothing to the build.
"""

import csv
import math
import sys
from xml.sax.saxutils import escape

W, H = 360, 260  # one panel
PAD_L, PAD_R, PAD_T, PAD_B = 58, 14, 30, 44
COLOURS = {"bulletin": "#b3261e", "Hugo": "#1f5fa8"}


def read(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            def num(key):
                v = (r.get(key) or "").strip()
                return float(v) if v else None
            rows.append({
                "pages": float(r["pages"]),
                "bulletin": (num("bulletin_s"), num("bulletin_mib")),
                "Hugo": (num("hugo_s"), num("hugo_mib")),
            })
    return sorted(rows, key=lambda r: r["pages"])


def decades(lo, hi):
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if a == b:
        b += 1
    return a, b


def label(v):
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def panel(x0, rows, which, title, unit):
    pts = {name: [(r["pages"], r[name][which]) for r in rows if r[name][which]]
           for name in COLOURS}
    xs = [p for s in pts.values() for p, _ in s]
    ys = [v for s in pts.values() for _, v in s]
    if not xs:
        return []
    xa, xb = decades(min(xs), max(xs))
    ya, yb = decades(min(ys), max(ys))
    iw, ih = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def sx(v):
        return x0 + PAD_L + (math.log10(v) - xa) / (xb - xa) * iw

    def sy(v):
        return PAD_T + ih - (math.log10(v) - ya) / (yb - ya) * ih

    out = [f'<text x="{x0 + PAD_L}" y="18" class="t">{escape(title)}</text>',
           f'<rect x="{x0 + PAD_L}" y="{PAD_T}" width="{iw}" height="{ih}" class="frame"/>']
    for d in range(xa, xb + 1):
        x = sx(10 ** d)
        out.append(f'<line x1="{x:.1f}" y1="{PAD_T}" x2="{x:.1f}" y2="{PAD_T + ih}" class="grid"/>')
        out.append(f'<text x="{x:.1f}" y="{PAD_T + ih + 16}" class="ax" text-anchor="middle">{label(10 ** d)}</text>')
    for d in range(ya, yb + 1):
        y = sy(10 ** d)
        out.append(f'<line x1="{x0 + PAD_L}" y1="{y:.1f}" x2="{x0 + PAD_L + iw}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{x0 + PAD_L - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{label(10 ** d)} {unit}</text>')
    out.append(f'<text x="{x0 + PAD_L + iw / 2}" y="{H - 8}" class="ax" text-anchor="middle">pages</text>')
    first = pts["bulletin"][0] if pts["bulletin"] else None
    if first:
        # Linear growth from bulletin's smallest run, clipped to the panel.
        p0, v0 = first
        p1 = 10 ** xb
        v1 = v0 * p1 / p0
        if v1 > 10 ** yb:
            p1, v1 = p0 * (10 ** yb) / v0, 10 ** yb
        out.append(f'<line x1="{sx(p0):.1f}" y1="{sy(v0):.1f}" x2="{sx(p1):.1f}" y2="{sy(v1):.1f}" class="lin"/>')
    for name, series in pts.items():
        if not series:
            continue
        c = COLOURS[name]
        path = " ".join(f"{sx(p):.1f},{sy(v):.1f}" for p, v in series)
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for p, v in series:
            out.append(f'<circle cx="{sx(p):.1f}" cy="{sy(v):.1f}" r="3" fill="{c}"><title>{escape(name)}: {label(p)} pages, {v:g} {unit}</title></circle>')
    return out


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    rows = read(argv[1])
    body = panel(0, rows, 0, "Full build: wall time", "s") + \
        panel(W, rows, 1, "Full build: peak memory", "MiB")
    legend = []
    for i, (name, c) in enumerate(COLOURS.items()):
        x = PAD_L + i * 90
        legend.append(f'<rect x="{x}" y="{H + 6}" width="12" height="12" fill="{c}"/>'
                      f'<text x="{x + 16}" y="{H + 16}" class="ax">{name}</text>')
    legend.append(f'<line x1="{PAD_L + 180}" y1="{H + 12}" x2="{PAD_L + 204}" y2="{H + 12}" class="lin"/>'
                  f'<text x="{PAD_L + 208}" y="{H + 16}" class="ax">linear from bulletin\'s first point</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 26}" '
           f'viewBox="0 0 {2 * W} {H + 26}" font-family="sans-serif">\n'
           '<style>.t{font-size:13px;font-weight:bold}.ax{font-size:11px;fill:#333}'
           '.grid{stroke:#ddd}.frame{fill:none;stroke:#999}'
           '.lin{stroke:#666;stroke-dasharray:3 3}</style>\n'
           + "\n".join(body + legend) + "\n</svg>\n")
    with open(argv[2], "w") as f:
        f.write(svg)


if __name__ == "__main__":
    main(sys.argv)
