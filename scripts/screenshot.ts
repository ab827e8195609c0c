/*
 * Screenshots of pages as a logged-in user, for looking at the UI and for the README:
 *   tsx scripts/screenshot.ts BASE_URL EMAIL PASSWORD OUT_DIR path1 [path2 …]
 */
import path from "node:path";
import { chromium } from "playwright-core";

const [base, email, password, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${base}/login`);
await page.fill("#f-email", email);
await page.fill("#f-password", password);
await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("button[type=submit]")]);
for (const p of paths) {
  await page.goto(`${base}${p}`);
  const file = path.join(outDir, `${p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home"}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
