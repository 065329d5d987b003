// Prints pages of a built site to PDF in a real headless Chromium (playwright-core,
// /usr/bin/chromium), A4 with print media, for tests/it/printed.rs, and prints as JSON, per
// page: the PDF's page count, whether the masthead's navigation is hidden in print, and how
// many `.print-item` articles the page holds, and how many of them have text in their `.body`.
// Usage: node print_issue.cjs PROFILE_DIR PAGE.html...
"use strict";
const { chromium } = require("playwright-core");
const { pathToFileURL } = require("url");

const [profile, ...files] = process.argv.slice(2);

(async () => {
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    await page.route(/^https?:/, (r) => r.abort());
    const out = [];
    for (const file of files) {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.emulateMedia({ media: "print" });
      const seen = await page.evaluate(() => ({
        nav_hidden: getComputedStyle(document.querySelector(".masthead nav")).display === "none",
        items: document.querySelectorAll(".print-item").length,
        with_text: [...document.querySelectorAll(".print-item")].filter((i) => {
          const b = i.querySelector(".body");
          return b && b.textContent.trim().length > 0;
        }).length,
      }));
      const pdf = await page.pdf({ format: "A4", printBackground: false });
      // Each page of the PDF is one `/Type /Page` object (`/Pages` is the tree's root).
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
      out.push({ file, pages, ...seen });
    }
    console.log(JSON.stringify(out));
  } finally {
    await ctx.close();
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
