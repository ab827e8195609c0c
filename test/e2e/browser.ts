import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { startServer, type TestServer } from "../support/server";

/*
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser download), the real
 * production server on a fresh SQLite file, and the seed data every flow starts from. playwright-core has no
 * `expect`, so the waiting assertions below poll with vitest's expect.poll.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const RESULTS_DIR = path.resolve(__dirname, "../../test-results");

/**
 * Chromium, headless. playwright-core gives every launch a fresh temporary profile directory of its own (and
 * removes it on close), so no --user-data-dir is passed (Playwright refuses that argument in launch()).
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  return { browser, close: () => browser.close().catch(() => undefined) };
}

export interface E2eContext {
  server: TestServer;
  seed: typeof import("../helpers/seed");
  members: { dalsEd: number; goteborg: number; molndal: number };
  browser: Browser;
  /** A page in a fresh browser context (its own cookies), as a new visitor would have. */
  newPage: () => Promise<Page>;
  url: (p: string) => string;
  stop: () => Promise<void>;
}

/**
 * Starts the server on a fresh database, seeds Dals-Ed (the member user's own municipality, figure for 2025),
 * Göteborg (figure for 2024 only), Mölndal (figure for 2025) and the users of seedUsers, and opens Chromium.
 */
export async function startE2e(): Promise<E2eContext> {
  const server = await startServer();
  // db/client opens its singleton on first use: point it at the server's file before importing the seed.
  process.env.DATABASE_PATH = server.dbPath;
  const seed = await import("../helpers/seed");
  const client = await import("../../db/client");
  let launched: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    const reference = seed.referenceMunicipalities();
    const byCode = (code: string) => {
      const m = reference.find((r) => r.code === code);
      if (!m) throw new Error(`municipality ${code} missing from the reference data`);
      return m;
    };
    const members = {
      dalsEd: seed.seedMunicipality(byCode("1438"), { populationYear: 2025 }).id,
      goteborg: seed.seedMunicipality(byCode("1480"), { populationYear: 2024 }).id,
      molndal: seed.seedMunicipality(byCode("1481"), { populationYear: 2025 }).id,
    };
    await seed.seedUsers({ own: members.dalsEd });
    // The server owns the file from here on; the test only talks to it through the browser.
    client.closeDatabase();
    const assets = snapshotClientBuild(server.dir);
    launched = await launchBrowser();
    const { browser } = launched;
    const close = launched.close;
    return {
      server,
      seed,
      members,
      browser,
      url: (p) => `${server.url}${p}`,
      newPage: async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "sv-SE" });
        context.setDefaultTimeout(15_000);
        await serveLostAssetsFrom(context, assets);
        return context.newPage();
      },
      stop: async () => {
        await close();
        await server.stop();
        fs.rmSync(server.dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await launched?.close();
    client.closeDatabase();
    await server.stop();
    throw error;
  }
}

export async function stopE2e(ctx: E2eContext | undefined) {
  await ctx?.stop();
}

/*
 * The server serves public/build from disk. In a shared checkout, a `remix build` run elsewhere while a test runs
 * (another `npm test`, whose global setup builds) empties public/build and writes new hashed files under the
 * running server, whose in-memory manifest still names the old ones: pages would lose their CSS and scripts.
 * So the client build is copied when the server starts, and an asset the server no longer has (404) is served
 * from that copy. Every asset the server does have still comes from the server.
 */
const PUBLIC_BUILD = path.resolve(__dirname, "../../public/build");

function manifestName(dir = PUBLIC_BUILD): string {
  try {
    return fs.readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f)) ?? "none";
  } catch {
    return "none";
  }
}

function snapshotClientBuild(dir: string): string {
  const copy = path.join(dir, "public-build");
  fs.cpSync(PUBLIC_BUILD, copy, { recursive: true });
  return copy;
}

async function serveLostAssetsFrom(context: BrowserContext, copy: string) {
  await context.route(
    (url) => url.pathname.startsWith("/build/"),
    async (route) => {
      const response = await route.fetch();
      if (response.status() !== 404) return route.fulfill({ response });
      const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice("/build/".length));
      const file = path.join(copy, rel);
      if (!file.startsWith(copy + path.sep) || !fs.existsSync(file)) return route.fulfill({ response });
      console.warn(
        `[e2e] ${rel} is gone from public/build (rebuilt during the test); served from the copy taken at start`,
      );
      return route.fulfill({ path: file });
    },
  );
}

const startedWith = manifestName();

/** Says whether public/build changed since this test file started, for failure messages. */
export function buildUnchanged(): string {
  const now = manifestName();
  return now === startedWith
    ? "client build unchanged"
    : `public/build was rebuilt during the test (${startedWith} → ${now})`;
}

/** Waits until Remix has hydrated the page, so client-side handlers (e.g. search as you type) are live. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() =>
    Boolean(
      (window as unknown as { __remixRouter?: { state?: { initialized?: boolean } } }).__remixRouter?.state
        ?.initialized,
    ),
  );
}

/** Logs in through the login form as a user would and waits to leave the login page. */
export async function loginAs(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole("heading", { name: "Logga in" }).waitFor();
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord").fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Logga in" }).click(),
  ]);
}

/** The visible text of a locator once it is visible, whitespace collapsed (non-breaking spaces too). */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: "visible" });
  return normalise(await locator.innerText());
}

export function normalise(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, " ").trim();
}

/** Polls until the locator's visible text contains `expected` (a user "sees" it). */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = 15_000) {
  await expect
    .poll(
      async () =>
        (await locator.count()) > 0 && (await locator.first().isVisible())
          ? normalise(await locator.first().innerText())
          : "",
      {
        timeout,
        interval: 100,
      },
    )
    .toMatch(typeof expected === "string" ? new RegExp(escapeRegExp(expected)) : expected);
}

/** Polls until the page's URL path (and query) matches. */
export async function expectUrl(page: Page, expected: RegExp, timeout = 15_000) {
  await expect
    .poll(
      () => {
        const u = new URL(page.url());
        return decodeURIComponent(u.pathname + u.search);
      },
      { timeout, interval: 100 },
    )
    .toMatch(expected);
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A full-page screenshot into test-results/ (gitignored). */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Whether the app's stylesheet was loaded and applied (the top bar gets a background from it). */
export async function expectStylesheetApplied(page: Page) {
  expect(await stylesheetApplied(page), `the page has no CSS; ${buildUnchanged()}`).toBe(true);
}

export async function stylesheetApplied(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const loaded = Array.from(document.styleSheets).some((s) => {
      try {
        return s.cssRules.length > 0;
      } catch {
        return false;
      }
    });
    const bar = document.querySelector(".topbar");
    const bg = bar ? getComputedStyle(bar).backgroundColor : "";
    return loaded && bg !== "" && bg !== "rgba(0, 0, 0, 0)";
  });
}
