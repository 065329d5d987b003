// The search benchmark (docs/benchmarks.md, "Search"): for each query, a fresh headless
// Chromium opens BASE/search/?q=Q and reports the bytes transferred and the time to results
// (navigation start to data-state="done"); then, in the same page, the time of a second
// (warm) query run through the page's own form, the same query and then the next one, timed in
// the page by a MutationObserver on data-state. Usage: node search_bench.cjs BASE Q...
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
    // Time in the page: a MutationObserver on data-state, set up before any script runs.
    await page.addInitScript(() => {
      window.__done = new Promise((ok) => {
        const watch = () => {
          const r = document.getElementById("search-results");
          if (!r) return false;
          const check = () => r.dataset.state === "done" && (ok(performance.now()), true);
          if (!check()) new MutationObserver(check).observe(r, { attributes: true, attributeFilter: ["data-state"] });
          return true;
        };
        if (!watch()) document.addEventListener("readystatechange", watch, { once: true });
      });
    });
    await page.goto(url, { waitUntil: "domcontentloaded" });
    const doneAt = await page.evaluate(() => window.__done);
    const first = await page.evaluate((doneAt) => {
      const nav = performance.getEntriesByType("navigation")[0];
      const res = performance.getEntriesByType("resource");
      const bytes = [nav, ...res].reduce((s, e) => s + (e.transferSize || 0), 0);
      const index = res.filter((e) => e.name.includes("/search/")).reduce((s, e) => s + e.transferSize, 0);
      return { bytes, index, ms: Math.round(doneAt), dcl_ms: Math.round(nav.domContentLoadedEventEnd), total: document.getElementById("search-results").dataset.total };
    }, doneAt);
    // Warm: a query through the page's own form, after paint and two animation frames; the
    // same query again (its shards and matches are loaded), then a different one (q2).
    const warmOf = (q2) =>
      page.evaluate(async (q2) => {
        const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
        await frame();
        await frame();
        const r = document.getElementById("search-results");
        const input = document.getElementById("search-q");
        const done = new Promise((ok) => {
          const o = new MutationObserver(() => {
            if (r.dataset.state === "done") {
              o.disconnect();
              ok(performance.now());
            }
          });
          o.observe(r, { attributes: true, attributeFilter: ["data-state"] });
        });
        input.value = q2;
        const t0 = performance.now();
        document.getElementById("search-form").requestSubmit();
        return Math.round((await done) - t0);
      }, q2);
    const warm = await warmOf(q);
    const next = queries[(queries.indexOf(q) + 1) % queries.length];
    const warm_next = await warmOf(next);
    console.log(JSON.stringify({ q, ...first, warm_ms: warm, next, warm_next_ms: warm_next }));
    await browser.close();
  }
})();
