// Drives a real headless Chromium (playwright-core, /usr/bin/chromium) against `bulletin serve`
// for tests/it/serve.rs. Usage: node live_reload.cjs URL PROFILE_DIR
//
// Talks over stdio, one command per line from the test, one answer per line back:
//   text T       wait until the page shows T             -> "ok" | "fail <why>"
//   overlay T    wait for the error overlay containing T -> "ok <overlay text as JSON>" | "fail <why>"
//   clear T      wait until the overlay is gone and T is shown -> "ok" | "fail <why>"
//   quit
// The script never reloads the page itself: every change must arrive by live reload.
"use strict";
const readline = require("readline");
const { chromium } = require("playwright-core");

const [url, profile] = process.argv.slice(2);
const TIMEOUT = 20000;

function say(line) {
  process.stdout.write(line.replace(/\n/g, " ") + "\n");
}

(async () => {
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
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
  const page = ctx.pages()[0] || (await ctx.newPage());
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.goto(url, { waitUntil: "load" });
  say("ready");
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    const sp = line.indexOf(" ");
    const cmd = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? "" : line.slice(sp + 1);
    try {
      if (cmd === "quit") break;
      if (cmd === "text") {
        await page.waitForFunction(
          (t) => document.body && document.body.innerText.includes(t),
          arg,
          { timeout: TIMEOUT, polling: 100 }
        );
        say("ok " + navigations);
      } else if (cmd === "overlay") {
        const el = await page.waitForFunction(
          (t) => {
            const o = document.getElementById("__bulletin_error");
            return o && o.textContent.includes(t) ? o : null;
          },
          arg,
          { timeout: TIMEOUT, polling: 100 }
        );
        // Reported so the test can check the error text stayed text (no elements from it).
        const info = await el.evaluate((o) => ({
          text: o.textContent,
          elements: o.querySelectorAll("*").length,
          visible: o.getBoundingClientRect().height > 0,
        }));
        say("ok " + JSON.stringify(info));
      } else if (cmd === "clear") {
        await page.waitForFunction(
          (t) =>
            !document.getElementById("__bulletin_error") &&
            document.body.innerText.includes(t),
          arg,
          { timeout: TIMEOUT, polling: 100 }
        );
        say("ok " + navigations);
      } else {
        say("fail unknown command " + cmd);
      }
    } catch (e) {
      say("fail " + String(e && e.message ? e.message : e).split("\n")[0]);
    }
  }
  await ctx.close();
})().catch((e) => {
  say("fail " + String(e && e.message ? e.message : e).split("\n")[0]);
  process.exit(1);
});
