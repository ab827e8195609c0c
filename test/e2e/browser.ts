import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, expect as pwExpect, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type TestServer } from "../helpers/server";

/*
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser download), the real
 * production server on a fresh SQLite file, and the seed data every flow starts from.
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

export interface LaunchedBrowser {
  browser: BrowserContext;
  close: () => Promise<void>;
}

/**
 * Chromium with a fresh temporary profile. launchPersistentContext is what takes a user-data-dir; the
 * profile is deleted again on close.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: "sv-SE",
    timezoneId: "Europe/Stockholm",
  });
  return {
    browser: context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A browser that is not persistent, for callers that prefer chromium.launch(). */
export function launchPlainBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export interface E2eContext {
  server: TestServer;
  seed: typeof import("../helpers/seed");
  client: typeof import("../../db/client");
  members: { dalsEd: number; goteborg: number; molndal: number };
  chromium: LaunchedBrowser;
  /** A new page (own tab) in the shared profile. Log out between users, or use newUserContext. */
  newPage: () => Promise<Page>;
  /** A page in a separate incognito-like context: its own cookies. */
  newUserPage: () => Promise<{ page: Page; close: () => Promise<void> }>;
  url: (p: string) => string;
  stop: () => Promise<void>;
}

/**
 * Starts the server on a fresh database, seeds Dals-Ed (the member user's own municipality; figure for 2025),
 * Göteborg (figure for 2024 only) and Mölndal (2025), and the three users of seedUsers, then opens Chromium.
 */
export async function startE2e(): Promise<E2eContext> {
  const server = await startServer();
  // db/client opens its singleton on first use: point it at the server's file before importing the seed.
  process.env.DATABASE_PATH = server.dbPath;
  const seed = await import("../helpers/seed");
  const client = await import("../../db/client");
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
  let launched: LaunchedBrowser;
  try {
    launched = await launchBrowser();
  } catch (error) {
    client.closeDatabase();
    await server.stop();
    throw error;
  }
  const extraContexts: BrowserContext[] = [];
  return {
    server,
    seed,
    client,
    members,
    chromium: launched,
    url: (p) => `${server.url}${p}`,
    newPage: () => launched.browser.newPage(),
    newUserPage: async () => {
      const b = launched.browser.browser();
      if (!b) throw new Error("a persistent context has no separate browser contexts");
      const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, locale: "sv-SE" });
      extraContexts.push(ctx);
      return { page: await ctx.newPage(), close: () => ctx.close() };
    },
    stop: async () => {
      for (const ctx of extraContexts) await ctx.close().catch(() => undefined);
      await launched.close();
      client.closeDatabase();
      await server.stop();
    },
  };
}

export async function stopE2e(ctx: E2eContext | undefined) {
  await ctx?.stop();
}

/** Waits until Remix has hydrated the page, so client-side handlers (e.g. search-as-you-type) are live. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: { state?: { initialized?: boolean } } }).__remixRouter?.state?.initialized));
}

/** Logs in through the login form as a user would and waits to leave the login page. */
export async function loginAs(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await pwExpect(page.getByRole("heading", { name: "Logga in" })).toBeVisible();
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord").fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Logga in" }).click(),
  ]);
}

/** A full-page screenshot into test-results/ (gitignored). */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Whether the page's stylesheet was applied (a styled page has a non-default body font or background). */
export async function stylesApplied(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const sheets = Array.from(document.styleSheets).filter((s) => {
      try {
        return s.cssRules.length > 0;
      } catch {
        return false;
      }
    });
    return sheets.length > 0;
  });
}
