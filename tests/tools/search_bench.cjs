// The search benchmark (docs/benchmarks.md, "Search"): for each query, a fresh headless
// Chromium opens BASE/search/?q=Q and reports the bytes transferred and the time to results
// (navigation start to data-state="done"); then, in the same page, the time of a second
// (warm) query run through the page's own form. Usage: node search_bench.cjs BASE Q...
"use strict";
const { chromium } = require("playwright-core");
const [base, ...queries] = process.argv.slice(2);

(async () => {
  for (const q of queries) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    const page = await browser.newPage();
    const url = base + "search/?q=" + encodeURIComponent(q);
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => document.getElementById("search-results").dataset.state === "done", null, { polling: 1 });
    const first = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const res = performance.getEntriesByType("resource");
      const bytes = [nav, ...res].reduce((s, e) => s + (e.transferSize || 0), 0);
      const index = res.filter((e) => e.name.includes("/search/")).reduce((s, e) => s + e.transferSize, 0);
      return { bytes, index, ms: performance.now(), total: document.getElementById("search-results").dataset.total };
    });
    // Warm: another query in the same page (its shards may be new, the columns are loaded).
    const warm = await page.evaluate(async (q2) => {
      const r = document.getElementById("search-results");
      const input = document.getElementById("search-q");
      input.value = q2;
      const t0 = performance.now();
      document.getElementById("search-form").requestSubmit();
      await new Promise((ok) => {
        const tick = () => (r.dataset.state === "done" ? ok() : setTimeout(tick, 0));
        tick();
      });
      return performance.now() - t0;
    }, q);
    console.log(JSON.stringify({ q, ...first, warm_ms: warm }));
    await browser.close();
  }
})();
