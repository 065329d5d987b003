// Renders a digest e-mail (email.html) in a real headless Chromium (playwright-core,
// /usr/bin/chromium) the way a phone shows it, for tests/it/digest/phone.rs, and prints what the
// test checks as JSON. Usage: node digest_phone.cjs EMAIL_HTML PROFILE_DIR [SCREENSHOT.png]
//
// At 375x844: the page height; the bottom of the overview's counts, of the web link and of the
// overview; for each item (td.item), how many lines of text it shows before its 阅读全文 link
// (the whole item when it has none). At 320 px: the widest overflow. With
// prefers-color-scheme: dark: the background of the container and the colour of the text.
// The screenshot, when asked for, is the first screen at 375 px.
"use strict";
const { chromium } = require("playwright-core");
const { pathToFileURL } = require("url");

const [file, profile, shot] = process.argv.slice(2);

/// Lines of text in `item` up to (and including the line of) its 阅读全文 link: line boxes
/// counted from the rectangles of its text nodes, by distinct vertical position.
function measure() {
  const lineCount = (item) => {
    const more = [...item.querySelectorAll("a")].find((a) => a.textContent.trim() === "阅读全文");
    const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
    const tops = [];
    let n;
    while ((n = walker.nextNode())) {
      if (!n.textContent.trim()) continue;
      if (more && more.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING && !more.contains(n)) break;
      const r = document.createRange();
      r.selectNodeContents(n);
      for (const rect of r.getClientRects()) {
        if (rect.width < 1) continue;
        const mid = rect.top + rect.height / 2;
        if (!tops.some((t) => Math.abs(t - mid) < rect.height / 2)) tops.push(mid);
      }
      if (more && more.contains(n)) break;
    }
    return tops.length;
  };
  const bottom = (sel) => {
    const e = document.querySelector(sel);
    return e ? e.getBoundingClientRect().bottom + window.scrollY : null;
  };
  const items = [...document.querySelectorAll("td.item")].map((td) => ({
    title: (td.querySelector(".item-title") || td).textContent.trim().slice(0, 40),
    lines: lineCount(td),
    has_more: [...td.querySelectorAll("a")].some((a) => a.textContent.trim() === "阅读全文"),
  }));
  return {
    height: document.documentElement.scrollHeight,
    counts_bottom: bottom(".counts"),
    weblink_bottom: bottom(".weblink"),
    overview_top: document.querySelector(".overview")?.getBoundingClientRect().top ?? null,
    counts_text: document.querySelector(".counts")?.textContent.trim() ?? null,
    weblink_href: document.querySelector(".weblink a")?.getAttribute("href") ?? null,
    items,
  };
}

(async () => {
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 375, height: 844 },
    deviceScaleFactor: 1,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    // The e-mail is opened as a file: nothing it names is fetched from the network.
    await page.route(/^https?:/, (r) => r.abort());
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const phone = await page.evaluate(measure);
    if (shot) await page.screenshot({ path: shot });
    await page.setViewportSize({ width: 320, height: 700 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth
    );
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => {
      const c = document.querySelector("table.container");
      const t = document.querySelector(".excerpt") || document.body;
      return {
        background: getComputedStyle(c).backgroundColor,
        text: getComputedStyle(t).color,
      };
    });
    await page.emulateMedia({ colorScheme: "light" });
    const light = await page.evaluate(
      () => getComputedStyle(document.querySelector("table.container")).backgroundColor
    );
    console.log(JSON.stringify({ ...phone, overflow_320: overflow, dark, light_background: light }));
  } finally {
    await ctx.close();
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
