// Drives a real headless Chromium (playwright-core, /usr/bin/chromium) against the built site
// for tests/it/search.rs. Usage: node search.cjs BASE_URL
//
// One command per line on stdin, one JSON answer per line on stdout:
//   open PATH      load BASE_URL+PATH (e.g. search/?q=…), wait for the search to finish
//   type Q         type Q into the masthead search box of the current page and press Enter
//   all            click 显示更多 until every hit is shown
//   select N V     choose V in the filter named N on the current page, wait for the search
//   norm           every code point's normal form (NFKC, lower case, no whitespace) where it
//                  differs from the code point, for every code point the browser's Unicode
//                  knows: {"ok":true,"map":[[cp,"…"],…],"unassigned":[[from,to],…]}
//   axe            run axe-core on the current page
//   quit
// Every answer after a search: {"ok":true,"url","total","hrefs":[…],"marks":[…],"ms"}, where
// hrefs are the hits' links resolved against the page, marks the first hit's marked text.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { chromium } = require("playwright-core");

const [base] = process.argv.slice(2);
const TIMEOUT = 20000;
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");

async function done(page) {
  await page.waitForFunction(
    () => {
      const r = document.getElementById("search-results");
      return r && (r.dataset.state === "done" || r.dataset.state === "error");
    },
    null,
    { timeout: TIMEOUT, polling: 10 }
  );
  return page.evaluate(() => {
    const r = document.getElementById("search-results");
    const hits = [...document.querySelectorAll("#search-results a.search-hit")];
    return {
      ok: r.dataset.state === "done",
      state: r.dataset.state,
      url: location.href,
      total: Number(r.dataset.total),
      hrefs: hits.map((a) => a.href),
      marks: hits.length ? [...hits[0].querySelectorAll("mark")].map((m) => m.textContent) : [],
      filters: [...document.querySelectorAll("#search-filters select")].map((s) => ({
        name: s.name,
        value: s.value,
        options: [...s.options].map((o) => [o.value, o.textContent]),
      })),
    };
  });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  say({ ok: true, ready: true });
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const sp = line.indexOf(" ");
    const cmd = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? "" : line.slice(sp + 1);
    try {
      if (cmd === "quit") break;
      const t0 = Date.now();
      if (cmd === "open") {
        await page.goto(base + arg, { waitUntil: "load" });
        say({ ...(await done(page)), ms: Date.now() - t0 });
      } else if (cmd === "type") {
        await page.fill("#site-q", arg);
        await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.press("#site-q", "Enter")]);
        say({ ...(await done(page)), ms: Date.now() - t0 });
      } else if (cmd === "all") {
        for (;;) {
          const more = await page.$("#search-more:not([hidden])");
          if (!more) break;
          const n = await page.$$eval("a.search-hit", (a) => a.length);
          await more.click();
          await page.waitForFunction(
            (k) => document.querySelectorAll("a.search-hit").length > k,
            n,
            { timeout: TIMEOUT, polling: 10 }
          );
        }
        say({ ...(await done(page)), ms: Date.now() - t0 });
      } else if (cmd === "select") {
        const [name, value] = JSON.parse(arg);
        await page.evaluate(() => (document.getElementById("search-results").dataset.state = "stale"));
        await page.selectOption("#search-f-" + name, value);
        say({ ...(await done(page)), ms: Date.now() - t0 });
      } else if (cmd === "norm") {
        const { map, unassigned } = await page.evaluate(() => {
          const out = [];
          const unassigned = [];
          const known = /\p{Assigned}/u;
          for (let cp = 0; cp < 0x30000; cp++) {
            if (cp >= 0xd800 && cp < 0xe000) continue;
            const c = String.fromCodePoint(cp);
            if (!known.test(c)) {
              const last = unassigned[unassigned.length - 1];
              if (last && last[1] === cp - 1) last[1] = cp;
              else unassigned.push([cp, cp]);
              continue;
            }
            const n = c.normalize("NFKC").toLowerCase().replace(/[\s\u0085]/gu, "");
            if (n !== c) out.push([cp, n]);
          }
          return { map: out, unassigned };
        });
        say({ ok: true, map, unassigned });
      } else if (cmd === "axe") {
        const src = fs.readFileSync(path.join(__dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");
        await page.addScriptTag({ content: src });
        const v = await page.evaluate(async () => {
          const r = await window.axe.run(document, {
            runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
          });
          return r.violations.map((x) => ({ id: x.id, nodes: x.nodes.map((n) => n.target.join(" ")) }));
        });
        say({ ok: true, violations: v });
      } else {
        say({ ok: false, error: "unknown command " + cmd });
      }
    } catch (e) {
      const html = await page.content().catch(() => "");
      say({ ok: false, error: String(e && e.message ? e.message : e), errors, url: page.url(), html: html.slice(0, 2000) });
    }
  }
  await browser.close();
})();
