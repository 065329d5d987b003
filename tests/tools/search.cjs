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
//   finder PATH    load BASE_URL+PATH (policies/?…), wait for the policy finder to finish
//   tick [N,V]     click the finder's checkbox for value V of filter N, wait
//   sort           click the finder's date sort button, wait
//   rows           click the finder's 显示更多 until every row is shown
//   nojs PATH      load BASE_URL+PATH with JavaScript off: {"ok":true,"hrefs":[…],"links":[…]}
//   nodecomp PATH  load BASE_URL+PATH in a browser without DecompressionStream (deleted before
//                  any script runs), wait for the page to settle: {"ok":true,"state","note",
//                  "links":[…],"hrefs":[…],"pager","requests":[…]}, note the visible message,
//                  links those of the search page's note and the finder's filters, requests
//                  the index files fetched
//   viewport [W,H] resize the page: {"ok":true,"rowDisplay","filtersBeside","width"}
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

// The finder's answer: {"ok","url","total","hrefs","facets":[{name,options:[[value,label,checked,hidden]]}],"sort"}.
async function finderDone(page) {
  await page.waitForFunction(
    () => {
      const r = document.getElementById("finder");
      return r && (r.dataset.state === "done" || r.dataset.state === "error");
    },
    null,
    { timeout: TIMEOUT, polling: 10 }
  );
  return page.evaluate(() => {
    const r = document.getElementById("finder");
    const boxes = [...document.querySelectorAll("#finder-facets fieldset")];
    return {
      ok: r.dataset.state === "done",
      state: r.dataset.state,
      url: location.href,
      total: Number(r.dataset.total),
      hrefs: [...document.querySelectorAll("#finder a.finder-hit")].map((a) => a.href),
      facets: boxes.map((f) => ({
        name: f.querySelector("input").name,
        options: [...f.querySelectorAll("li")].map((li) => {
          const i = li.querySelector("input");
          return [i.value, li.querySelector("label").textContent, i.checked, li.hidden];
        }),
      })),
      sort: document.getElementById("finder-date-col")
        ? document.getElementById("finder-date-col").getAttribute("aria-sort")
        : null,
    };
  });
}

async function stale(page) {
  await page.evaluate(() => (document.getElementById("finder").dataset.state = "stale"));
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
      } else if (cmd === "finder") {
        await page.goto(base + arg, { waitUntil: "load" });
        say({ ...(await finderDone(page)), ms: Date.now() - t0 });
      } else if (cmd === "tick") {
        const [name, value] = JSON.parse(arg);
        await stale(page);
        const box = await page.$$(`#finder-facets input[name="${name}"]`);
        let hit = null;
        for (const b of box) if ((await b.getAttribute("value")) === value) hit = b;
        if (!hit) throw new Error("no checkbox " + name + "=" + value);
        await hit.click();
        say({ ...(await finderDone(page)), ms: Date.now() - t0 });
      } else if (cmd === "sort") {
        await stale(page);
        await page.click("#finder-sort");
        say({ ...(await finderDone(page)), ms: Date.now() - t0 });
      } else if (cmd === "rows") {
        for (;;) {
          const more = await page.$("#finder-more:not([hidden])");
          if (!more) break;
          const n = await page.$$eval("a.finder-hit", (a) => a.length);
          await more.click();
          await page.waitForFunction((k) => document.querySelectorAll("a.finder-hit").length > k, n, {
            timeout: TIMEOUT,
            polling: 10,
          });
        }
        say({ ...(await finderDone(page)), ms: Date.now() - t0 });
      } else if (cmd === "nojs") {
        const ctx = await browser.newContext({ javaScriptEnabled: false });
        const p2 = await ctx.newPage();
        await p2.goto(base + arg, { waitUntil: "load" });
        const got = await p2.evaluate(() => ({
          hrefs: [...document.querySelectorAll("a.finder-hit")].map((a) => a.href),
          links: [...document.querySelectorAll(".finder-filters a")].map((a) => a.href),
          width: document.documentElement.scrollWidth,
        }));
        await ctx.close();
        say({ ok: true, ...got });
      } else if (cmd === "nodecomp") {
        const ctx = await browser.newContext();
        await ctx.addInitScript(() => {
          delete window.DecompressionStream;
        });
        const p2 = await ctx.newPage();
        const requests = [];
        p2.on("request", (r) => {
          const at = new URL(r.url()).pathname;
          if (at.includes("/search/") && !at.endsWith("/search/")) requests.push(r.url());
        });
        await p2.goto(base + arg, { waitUntil: "load" });
        await p2.waitForFunction(
          () => {
            const r = document.getElementById("search-results") || document.getElementById("finder");
            return r && !["idle", "loading"].includes(r.dataset.state);
          },
          null,
          { timeout: TIMEOUT, polling: 10 }
        );
        const got = await p2.evaluate(() => {
          const r = document.getElementById("search-results") || document.getElementById("finder");
          const note = document.getElementById("search-unsupported") || document.getElementById("finder-status");
          const pager = document.getElementById("finder-pager");
          return {
            state: r.dataset.state,
            note: note && !note.hidden && note.offsetParent !== null ? note.textContent : null,
            links: [...document.querySelectorAll("#search-unsupported a, .finder-filters a")].map((a) => a.href),
            hrefs: [...document.querySelectorAll("a.finder-hit")].map((a) => a.href),
            pager: pager ? !pager.hidden : null,
          };
        });
        await ctx.close();
        say({ ok: true, ...got, requests });
      } else if (cmd === "viewport") {
        const [w, h] = JSON.parse(arg);
        await page.setViewportSize({ width: w, height: h });
        const got = await page.evaluate(() => {
          const t = document.querySelector(".finder-table tbody tr");
          const f = document.querySelector(".finder-filters");
          const r = document.querySelector(".finder-results");
          return {
            rowDisplay: t ? getComputedStyle(t).display : null,
            filtersBeside: f && r ? f.getBoundingClientRect().left >= r.getBoundingClientRect().right : null,
            width: document.documentElement.scrollWidth,
          };
        });
        say({ ok: true, ...got });
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
