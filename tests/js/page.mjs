// Open the feed's page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), the size of a phone, and print as JSON what a person sees:
// the day headings, the agenda items, the subscription links, what the copy button
// put on the clipboard, whether anything overflows sideways, and any console errors
// (a blocked script or style shows up there). Optionally saves a screenshot.
//
// Usage: node page.mjs URL [SCREENSHOT.png]
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
if (!url) {
  console.error("usage: node page.mjs URL [SCREENSHOT.png]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
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
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: "light",
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: new URL(url).origin,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  const response = await page.goto(url, { waitUntil: "load" });

  const seen = await page.evaluate(() => ({
    title: document.title,
    heading: document.querySelector("h1")?.textContent ?? null,
    status: document.querySelector(".status")?.textContent ?? null,
    error: document.querySelector(".error")?.textContent ?? null,
    days: [...document.querySelectorAll(".day h3")].map((h) => h.textContent),
    items: [...document.querySelectorAll(".item")].map((li) => ({
      time: li.querySelector(".time")?.textContent ?? null,
      company: li.querySelector(".company")?.textContent ?? null,
      step: li.querySelector(".step")?.textContent ?? null,
      mailto: li.querySelector("a.mail")?.getAttribute("href") ?? null,
    })),
    subscribe: document.querySelector("a.subscribe")?.getAttribute("href") ?? null,
    links: Object.fromEntries(
      [...document.querySelectorAll(".link input")].map((i) => [i.id, i.value]),
    ),
    copyButtons: [...document.querySelectorAll("button[data-copy]")].filter((b) => !b.hidden)
      .length,
    clients: [...document.querySelectorAll(".clients summary")].map((s) => s.textContent),
    reach: document.querySelector(".reach")?.textContent ?? null,
    // What a person sees without scrolling: each part's bottom edge within the screen.
    firstScreen: Object.fromEntries(
      [
        ["reach", ".reach"],
        ["subscribe", "a.subscribe"],
        ["clients", ".clients"],
      ].map(([name, selector]) => {
        const box = document.querySelector(selector)?.getBoundingClientRect();
        return [name, box ? box.bottom <= window.innerHeight : false];
      }),
    ),
    past: [...document.querySelectorAll(".item.past .step")].map((s) => s.textContent),
    overflows: document.documentElement.scrollWidth > window.innerWidth,
    scripts: document.scripts.length,
  }));

  if (screenshot) await page.screenshot({ path: screenshot });
  let copied = null;
  let buttonAfter = null;
  const button = page.locator('button[data-copy="web-link"]');
  if ((await button.count()) === 1 && (await button.isVisible())) {
    await button.click();
    await page.waitForFunction(
      () => document.querySelector('button[data-copy="web-link"]').textContent === "Copied",
      null,
      { timeout: 5000 },
    );
    buttonAfter = await button.textContent();
    copied = await page.evaluate(() => navigator.clipboard.readText());
  }
  console.log(
    JSON.stringify({ httpStatus: response.status(), ...seen, copied, buttonAfter, problems }),
  );
} finally {
  await browser.close();
}
