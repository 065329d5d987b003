// Reads built pages in a real headless Chromium (playwright-core, /usr/bin/chromium) for
// tests/it/reading.rs. Usage: node pages.cjs WIDTH FILE...
//
// Opens each file (file://) at WIDTH×900 CSS pixels and prints one JSON line per file:
//   {file, axe: [{id, nodes}], crumbs: {label, ol, items: [{text, href, current}]} | null,
//    broken: [text…]  marked tokens (time, .doc-number, .name) laid out on more than one line,
//    wrapping: [text…] marked tokens whose white-space is not nowrap,
//    bare: [text…]     links in running text (p, li, dd, td) that are not underlined,
//    measure: {chars, width} of the widest line box of body text, in characters and px,
//    overflow: whether the page scrolls sideways,
//    signature: {align, indent} of .body p.signature, salutation: {indent} | null}
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [width, ...files] = process.argv.slice(2);
const axeSrc = fs.readFileSync(path.join(__dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

async function read(page) {
  return page.evaluate(() => {
    const text = (e) => e.textContent.replace(/\s+/g, " ").trim();
    const nav = document.querySelector("nav.breadcrumbs");
    const crumbs = nav && {
      label: nav.getAttribute("aria-label"),
      ol: !!nav.querySelector(":scope > ol"),
      items: [...nav.querySelectorAll("ol > li")].map((li) => {
        const a = li.querySelector("a");
        return { text: text(li), href: a && a.getAttribute("href"), current: a && a.getAttribute("aria-current") };
      }),
    };
    const marked = [...document.querySelectorAll("main time, main .doc-number, main .name")];
    // The lines a token's text is laid out on: distinct tops of its text's boxes.
    const lines = (e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return new Set([...r.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.bottom))).size;
    };
    const broken = marked.filter((e) => lines(e) > 1).map(text);
    const wrapping = marked.filter((e) => getComputedStyle(e).whiteSpace !== "nowrap").map(text);
    const running = [...document.querySelectorAll("main p a, main li a, main dd a, main td a")].filter((a) => {
      // A link is in running text when its block holds text outside it.
      const block = a.closest("p, li, dd, td, h1, h2, h3, h4, h5, h6");
      return text(block) !== text(a);
    });
    const bare = running
      .filter((a) => !getComputedStyle(a).textDecorationLine.includes("underline"))
      .map(text);
    let measure = { chars: 0, width: 0 };
    for (const p of document.querySelectorAll(".body p, .summary p")) {
      const r = document.createRange();
      r.selectNodeContents(p);
      const lines = [...r.getClientRects()];
      const w = Math.max(0, ...lines.map((l) => l.width));
      const size = parseFloat(getComputedStyle(p).fontSize);
      if (w > measure.width) measure = { chars: Math.round(w / size), width: Math.round(w) };
    }
    const sig = document.querySelector(".body p.signature");
    const sal = document.querySelector(".body p.salutation");
    return {
      crumbs,
      broken,
      wrapping,
      bare,
      measure,
      overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
      signature: sig && { align: getComputedStyle(sig).textAlign, indent: getComputedStyle(sig).textIndent },
      salutation: sal && { indent: getComputedStyle(sal).textIndent },
    };
  });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  for (const file of files) {
    try {
      await page.goto("file://" + file, { waitUntil: "load" });
      const facts = await read(page);
      await page.addScriptTag({ content: axeSrc });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        });
        return r.violations.map((x) => ({ id: x.id, nodes: x.nodes.map((n) => n.target.join(" ")) }));
      });
      process.stdout.write(JSON.stringify({ file, ok: true, axe, ...facts }) + "\n");
    } catch (e) {
      process.stdout.write(JSON.stringify({ file, ok: false, error: String(e && e.message ? e.message : e) }) + "\n");
    }
  }
  await browser.close();
})();
