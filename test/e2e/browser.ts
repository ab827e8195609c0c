import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import { closeDatabase } from "../../db/client";
import { SYSTEM_SCOPE } from "../../db/scope";
import { association, type Association, type AssociationOptions, type MunicipalitySpec } from "../support/association";
import { startServer, type TestServer } from "../support/server";
import { listInvoiceViews } from "../../app/features/invoices/queries.server";

/*
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core (no browser download), the real
 * production server on a fresh SQLite file built by test/support/association.ts, and the members every flow
 * starts from. playwright-core has no
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
  /** The association the server serves, built in-process before it started (ids of projects and runs). */
  association: Association;
  members: { dalsEd: number; goteborg: number; molndal: number };
  browser: Browser;
  /** A page in a fresh browser context (its own cookies), as a new visitor would have. */
  newPage: () => Promise<Page>;
  url: (p: string) => string;
  stop: () => Promise<void>;
}

/**
 * The members every flow starts from: Dals-Ed (the member user's own municipality, figure for 2025), Göteborg
 * (figure for 2024 only) and Mölndal (figure for 2025).
 */
export const E2E_MUNICIPALITIES: MunicipalitySpec[] = [
  { code: "1438", populationYear: 2025 },
  { code: "1480", populationYear: 2024 },
  { code: "1481", populationYear: 2025 },
];

/**
 * Builds the association (test/support/association.ts: E2E_MUNICIPALITIES and one user per role unless the
 * options say otherwise), starts the server on its file and opens Chromium.
 */
export async function startE2e(options: AssociationOptions = {}): Promise<E2eContext> {
  const a = await association({ municipalities: E2E_MUNICIPALITIES, prefix: "sambruk-e2e-", ...options });
  // The server owns the file from here on; the test talks to it through the browser (and may reopen it to read).
  closeDatabase();
  const server = await startServer({ dbPath: a.dbPath, env: { SESSION_SECRET: a.sessionSecret } });
  let launched: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    const members = { dalsEd: a.member["1438"], goteborg: a.member["1480"], molndal: a.member["1481"] };
    const assets = snapshotClientBuild(server.dir);
    launched = await launchBrowser();
    const { browser } = launched;
    const close = launched.close;
    return {
      server,
      association: a,
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
        a.close();
      },
    };
  } catch (error) {
    await launched?.close();
    await server.stop();
    a.close();
    throw error;
  }
}

export const thisYear = Number(todayIso().slice(0, 4));

/*
 * The association of the daily-work browser tests, on top of E2E_MUNICIPALITIES: populations of the two years
 * before, settings, one base-plus-per-capita project, and this year's annual fees and shares billed and issued.
 * Last year is left unbilled on purpose.
 */
export function billedAssociation(year = thisYear): AssociationOptions {
  const populations = (population: number) => ({ [year - 1]: population, [year - 2]: population });
  return {
    municipalities: [
      { code: "1438", populationYear: 2025, populations: populations(4_606) },
      { code: "1480", populationYear: 2024, populations: populations(608_993) },
      { code: "1481", populationYear: 2025, populations: populations(71_420) },
    ],
    settings: {
      orgNumber: generateOrgNumber("802012345"),
      street: "Box 1234",
      postalCode: "111 22",
      email: "kansli@sambruk.test",
      nextInvoiceNumber: year * 1000 + 1,
      ourReference: "Kassören",
    },
    projects: [
      {
        code: "P-010",
        name: "Gemensam e-arkivlösning med ett långt projektnamn",
        status: "open",
        allocationKey: "base_plus_per_capita",
        basePercent: "20",
        budgets: { [year - 1]: "500000.00", [year]: "1234567.89" },
        participants: ["1438", "1480", "1481"].map((member) => ({ member, joinedOn: `${year - 1}-01-01` })),
      },
    ],
    billingRuns: [{ year, charges: ["annual_fee", "project_share"], issue: true }],
  };
}

/** The ids of a billedAssociation and its issued invoices per member, read in-process from the server's file. */
export function billedOf(ctx: E2eContext, year = thisYear) {
  const invoices = listInvoiceViews(SYSTEM_SCOPE, { year });
  const of = (memberId: number) => invoices.find((v) => v.memberId === memberId)!;
  return {
    year,
    project: ctx.association.project["P-010"],
    run: ctx.association.billingRuns[0],
    invoice: { dalsEd: of(ctx.members.dalsEd), goteborg: of(ctx.members.goteborg), molndal: of(ctx.members.molndal) },
  };
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
