// Open the feed's page in headless Chromium at a given size and print as JSON what a
// person sees of the board of applications: its rows, where it stands against the
// other parts of the page, what is on the first screen, any two texts that overlap,
// any sideways overflow and console errors. Optionally saves a screenshot.
//
// Usage: node board.mjs URL WIDTH HEIGHT [SCREENSHOT.png]
import { chromium } from "playwright-core";

const [url, width, height, screenshot] = process.argv.slice(2);
if (!url || !width || !height) {
  console.error("usage: node board.mjs URL WIDTH HEIGHT [SCREENSHOT.png]");
  process.exit(2);
}
const phone = Number(width) < 600;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const context = await browser.newContext({
    viewport: { width: Number(width), height: Number(height) },
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    colorScheme: "light",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  const response = await page.goto(url, { waitUntil: "load" });
  const seen = await page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const meets = (a, b) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 &&
      b.top < a.bottom - 0.5;
    // Every visible text-bearing part of a row, and the page's sections, pairwise.
    const overlaps = [];
    for (const app of document.querySelectorAll(".app")) {
      const parts = [...app.querySelectorAll(".company, .stage, .app-next, .app-meta")]
        .filter((el) => el.getClientRects().length > 0);
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          if (meets(box(parts[i]), box(parts[j]))) {
            overlaps.push(`${parts[i].className} / ${parts[j].className}: ${app.textContent}`);
          }
        }
      }
    }
    const blocks = [...document.querySelectorAll("main > *")].filter(
      (el) => el.getClientRects().length > 0,
    );
    for (let i = 0; i + 1 < blocks.length; i++) {
      if (meets(box(blocks[i]), box(blocks[i + 1]))) {
        overlaps.push(`${blocks[i].tagName}.${blocks[i].className} / ${blocks[i + 1].tagName}`);
      }
    }
    const order = blocks.map((el) => el.className || el.tagName.toLowerCase());
    const rows = [...document.querySelectorAll(".board > ol.apps .app")].map((li) => ({
      company: li.querySelector(".company")?.textContent ?? null,
      stage: li.querySelector(".stage")?.textContent ?? null,
      next: li.querySelector(".app-next")?.textContent ?? null,
      meta: li.querySelector(".app-meta")?.textContent ?? null,
      onFirstScreen: li.getBoundingClientRect().bottom <= window.innerHeight,
    }));
    const smallest = Math.min(
      ...[...document.querySelectorAll(".app *, .chart text")]
        .filter((el) => el.getClientRects().length > 0 && el.textContent.trim())
        .map((el) => el.getBoundingClientRect().height > 0 ?
          parseFloat(getComputedStyle(el).fontSize) *
            (el.closest("svg") ? el.closest("svg").getBoundingClientRect().width / 320 : 1) :
          99),
    );
    return {
      order,
      rows,
      closed: document.querySelectorAll(".closed-apps .app").length,
      csvLink: document.querySelector(".board-links a")?.getAttribute("href") ?? null,
      boardTop: document.querySelector(".board")?.getBoundingClientRect().top ?? null,
      agendaTop: [...document.querySelectorAll("h2")].find((h) => h.textContent === "Coming up")
        ?.getBoundingClientRect().top ?? null,
      charts: document.querySelectorAll("svg.chart").length,
      chartLabels: [...document.querySelectorAll("svg.chart")].map((s) => s.getAttribute("aria-label")),
      overlaps,
      smallestText: smallest,
      overflows: document.documentElement.scrollWidth > window.innerWidth,
      scripts: document.scripts.length,
      bold: document.querySelectorAll(".app b, .app script").length,
    };
  });
  // BOARD_SCROLL_TO=SELECTOR takes the screen from that part on, to look at what lies below.
  if (process.env.BOARD_SCROLL_TO) {
    await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView(), process.env.BOARD_SCROLL_TO);
  }
  if (screenshot) await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ httpStatus: response.status(), ...seen, problems }));
} finally {
  await browser.close();
}
