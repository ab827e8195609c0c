/*
 * `npm run bench` (after `npm run build`, which the npm script runs first): the speed figures of docs/quality.md#speed and the
 * load test of issue 5, measured for real on this machine, one line per figure. The machine is shared, so every
 * figure is printed beside a reference measured in the same run, and the ratio between them.
 *
 * 1. A billing run for 290 generated municipalities (annual fee + 10 per-capita projects): drafted, issued
 *    (numbered, documents frozen) and every PDF of it rendered (each invoice once and each project-year's
 *    appendix once: the run's print file), in-process through the same use cases the pages and the API call,
 *    beside the PDF alone. Median of BENCH_ROUNDS rounds (default 3), each on a fresh database; the first round
 *    runs in a cold process.
 * 2. PDF rendering of one typical invoice (annual fee + 10 project lines), and of one invoice downloaded on its
 *    own with its 10 full-size appendices; the same invoice printed by a warm headless Chromium (page.pdf), where
 *    /usr/bin/chromium (CHROMIUM_PATH) exists.
 * 3. Members × 100 projects allocated and drafted in one billing run, at 2 500, 5 000 and 10 000 members (times
 *    BENCH_SCALE), each beside its floor: the same rows written bare in one transaction with one prepared
 *    INSERT (scripts/bench-draft.ts, one process per size, so that its memory is its own). Medians of
 *    BENCH_DRAFT_ROUNDS (default 3) rounds in which the product and the floor alternate.
 * 4. Against `node server.js`, logged in as the board: the member list page /members with 290 members,
 *    sequentially, and under 10 concurrent clients (autocannon, BENCH_LOAD_SECONDS each, default 5) beside the
 *    login page (the same server and layout, no data) as the reference, while a second process writes payments;
 *    the allocation page and the API likewise; then payments posted over HTTP while another process writes to
 *    the same database file.
 *
 * BENCH_ONLY=run,pdf,draft,pages picks parts (default all); BENCH_SCALE=0.1 (or --scale=0.1) runs the drafting
 * sizes at a tenth for a quick look: the full run is the default.
 *
 * Wall-clock times, with the CPU time of this process alongside where it is the one working (all its threads,
 * the garbage collector's included, so it can exceed the wall time): on a shared machine the two tell different
 * stories, and the load average at the start is printed with the machine.
 */
import { currentYear, todayIso } from "../billing/dates";
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createBillingRun } from "../app/features/billing-runs/commands.server";
import { issueRun } from "../app/features/invoices/issue.server";
import { runDocuments } from "../app/features/billing-runs/queries.server";
import type { InvoiceDocument } from "../billing/invoice-document";
import { renderInvoicePdf, renderInvoicesPdf } from "../billing/pdf";
import { closeDatabase, connection } from "../db/client";
import { SYSTEM_SCOPE } from "../db/scope";
import { BENCH_PASSWORD, BENCH_USERS, seedBenchUsers, seedSynthetic } from "./bench-seed";
import { invoiceHtml } from "./bench-html";
import { bearerToken, loginCookie, ROOT, startBenchServer, type BenchServer } from "./bench-server";
import type { DraftFigures } from "./bench-draft";
import type { WriterSummary } from "./bench-writer";

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SCALE = Number(
  process.argv.find((a) => a.startsWith("--scale="))?.slice("--scale=".length) ?? process.env.BENCH_SCALE ?? 1,
);
const PARTS = new Set((process.env.BENCH_ONLY ?? "run,pdf,draft,pages").split(",").map((p) => p.trim()));
const DRAFT_SIZES = [2_500, 5_000, 10_000].map((n) => Math.max(10, Math.round(n * SCALE)));
const DRAFT_PROJECTS = 100;
/** Rounds per drafting size, product and floor alternating: one round's ratio moves by ±0,2 on a shared machine. */
const DRAFT_ROUNDS = Math.max(1, Number(process.env.BENCH_DRAFT_ROUNDS ?? 3));
const LOAD_SECONDS = Math.max(1, Number(process.env.BENCH_LOAD_SECONDS ?? 5));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const YEAR = currentYear();
const CHARGES = ["annual_fee", "project_share"] as const;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-bench-"));

// Helpers ----------------------------------------------------------------------------------------------------------

function fmt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function target(value: number, limit: number, unit = "ms"): string {
  return `(target < ${limit.toLocaleString("sv-SE")} ${unit}: ${value < limit ? "met" : "MISSED"})`;
}

interface Timed<T> {
  value: T;
  wall: number;
  cpu: number;
}

async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}

function pages(n: number): string {
  return `${n} ${n === 1 ? "page" : "pages"}`;
}

function pageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type \/Page[^s]/g) ?? []).length;
}

function useDatabase(file: string): void {
  closeDatabase();
  process.env.DATABASE_PATH = file;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench: ${message}`);
}

// 1–2. A billing run of 290 municipalities -------------------------------------------------------------------------

interface RunRound {
  dbPath: string;
  draft: Timed<unknown>;
  issue: Timed<unknown>;
  pdf: Timed<Buffer>;
  total: number;
  totalCpu: number;
  docs: InvoiceDocument[];
}

async function billingRunRound(round: number): Promise<RunRound> {
  const dbPath = path.join(workDir, `run-${round}.db`);
  useDatabase(dbPath);
  seedSynthetic({ members: 290, projects: 10, year: YEAR });
  const draft = await timed(() => createBillingRun(SYSTEM_SCOPE, { year: YEAR, charges: [...CHARGES] }));
  check(
    draft.value.invoiceIds.length === 290 && draft.value.problems.length === 0,
    "the run should draft 290 invoices without problems",
  );
  const issue = await timed(() => issueRun(SYSTEM_SCOPE, draft.value.run!.id));
  check(
    issue.value.length === 290 && issue.value.every((v) => v.number !== null),
    "the run should issue 290 numbered invoices",
  );
  let docs: InvoiceDocument[] = [];
  const pdf = await timed(() => {
    docs = runDocuments(draft.value.run!.id);
    return renderInvoicesPdf(docs, { appendices: "shared" });
  });
  check(
    docs.length === 290 && docs.every((d) => d.lines.length === 11 && d.appendices.length === 10),
    "every invoice has 11 lines and 10 appendices",
  );
  return {
    dbPath,
    draft,
    issue,
    pdf,
    total: draft.wall + issue.wall + pdf.wall,
    totalCpu: draft.cpu + issue.cpu + pdf.cpu,
    docs,
  };
}

async function pdfkitMedian(
  doc: InvoiceDocument,
  warmup: number,
  n: number,
): Promise<{ wall: number; cpu: number; pages: number }> {
  let pages = 0;
  for (let i = 0; i < warmup; i++) pages = pageCount(await renderInvoicePdf(doc));
  const walls: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await renderInvoicePdf(doc);
    walls.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return { wall: median(walls), cpu: (used.user + used.system) / 1000 / n, pages };
}

// 5. Chromium -------------------------------------------------------------------------------------------------------

async function chromiumMedian(doc: InvoiceDocument): Promise<{ wall: number; pages: number } | null> {
  if (!fs.existsSync(CHROMIUM)) return null;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  try {
    const page = await browser.newPage();
    const html = invoiceHtml(doc);
    const print = async () => {
      await page.setContent(html, { waitUntil: "load" });
      return page.pdf({ format: "A4", printBackground: true });
    };
    let pdf = await print();
    for (let i = 1; i < 3; i++) pdf = await print();
    const walls: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await print();
      walls.push(performance.now() - started);
    }
    return { wall: median(walls), pages: pageCount(Buffer.from(pdf)) };
  } finally {
    await browser.close();
  }
}

// 3. Drafting at scale, beside its floor ----------------------------------------------------------------------------

function draftSize(members: number): Promise<DraftFigures> {
  const child = fork(path.join(ROOT, "scripts", "bench-draft.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: {
      ...process.env,
      BENCH_DRAFT_MEMBERS: String(members),
      BENCH_DRAFT_PROJECTS: String(DRAFT_PROJECTS),
      BENCH_DRAFT_ROUNDS: String(DRAFT_ROUNDS),
      BENCH_DRAFT_DIR: path.join(workDir, `draft-${members}`),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let figures: DraftFigures | undefined;
    child.once("message", (m) => (figures = m as DraftFigures));
    child.once("error", reject);
    child.once("exit", (code) =>
      figures && code === 0 ? resolve(figures) : reject(new Error(`bench-draft ${members} exited with ${code}`)),
    );
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function draftingAtScale(): Promise<void> {
  const sizes: DraftFigures[] = [];
  for (const members of DRAFT_SIZES) {
    const f = await draftSize(members);
    sizes.push(f);
    const product = median(f.product);
    const floor = median(f.floor);
    const batched = median(f.floorBatched);
    const ratio = product / floor;
    const full = members === 10_000;
    console.log(
      `${members.toLocaleString("sv-SE")} members × ${DRAFT_PROJECTS} projects allocated and drafted ` +
        `(${f.lines.toLocaleString("sv-SE")} lines): ${seconds(product)} (CPU ${seconds(median(f.productCpu))}), ` +
        `floor ${seconds(floor)} (CPU ${seconds(median(f.floorCpu))}): ${ratio.toFixed(2)} × the floor ` +
        `(target ≤ 1,5 ×: ${ratio <= 1.5 ? "met" : "MISSED"}; in CPU time ${(median(f.productCpu) / median(f.floorCpu)).toFixed(2)} ×; ` +
        `medians of ${f.product.length} alternating rounds: product ${f.product.map(seconds).join(" / ")}, floor ${f.floor.map(seconds).join(" / ")}); ` +
        `${((product / f.lines) * 1000).toFixed(2)} µs per line; peak RSS ${Math.round(f.maxRss / 2 ** 20)} MB` +
        (full ? ` (target < 1 024 MB: ${f.maxRss < 2 ** 30 ? "met" : "MISSED"})` : "") +
        `; the floor in 50-row INSERTs as the product writes them ${seconds(batched)} (${(product / batched).toFixed(2)} ×)`,
    );
  }
  if (sizes.length > 1) {
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    const perLine = (f: DraftFigures) => median(f.product) / f.lines;
    const floorPerLine = (f: DraftFigures) => median(f.floor) / f.lines;
    const cpuPerLine = (f: DraftFigures) => median(f.productCpu) / f.lines;
    console.log(
      `  linear: per line ${sizes.map((f) => `${(perLine(f) * 1000).toFixed(2)} µs`).join(" / ")} ` +
        `(${(perLine(last) / perLine(first)).toFixed(2)} × from ${first.members.toLocaleString("sv-SE")} to ${last.members.toLocaleString("sv-SE")} members; ` +
        `the floor per line ${sizes.map((f) => `${(floorPerLine(f) * 1000).toFixed(2)} µs`).join(" / ")}, ${(floorPerLine(last) / floorPerLine(first)).toFixed(2)} ×; ` +
        `the product's CPU per line ${sizes.map((f) => `${(cpuPerLine(f) * 1000).toFixed(2)} µs`).join(" / ")}, ${(cpuPerLine(last) / cpuPerLine(first)).toFixed(2)} ×)`,
    );
  }
}

// 6. Load --------------------------------------------------------------------------------------------------------

function startWriter(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; stop: () => Promise<WriterSummary> }> {
  const child = fork(path.join(ROOT, "scripts", "bench-writer.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
    child.once("message", (m) => {
      if (m !== "ready") return reject(new Error(`writer said ${JSON.stringify(m)}`));
      child.removeAllListeners("exit");
      resolve({
        child,
        stop: () =>
          new Promise<WriterSummary>((done, fail) => {
            child.once("message", (summary) => done(summary as WriterSummary));
            child.once("exit", (code) => fail(new Error(`writer exited with ${code} before reporting`)));
            child.send("stop");
          }),
      });
    });
  });
}

/** What went wrong under load (errors, 5xx, a writer's failures): the bench then exits with 1. */
const loadFailures: string[] = [];

function loadLine(label: string, r: autocannon.Result): string {
  const errors = r.errors + r.timeouts;
  if (errors > 0 || r.non2xx > 0)
    loadFailures.push(`${label}: ${errors} errors, ${r.non2xx} non-2xx (5xx ${r["5xx"]})`);
  return (
    `${label}: ${Math.round(r.requests.average)} req/s, p50 ${fmt(r.latency.p50)}, p99 ${fmt(r.latency.p99)}, ` +
    `${r.requests.total} requests, errors ${errors}, non-2xx ${r.non2xx} (5xx ${r["5xx"]})`
  );
}

function writerLine(label: string, w: WriterSummary): string {
  if (w.errors > 0 || w.serverErrors > 0)
    loadFailures.push(`${label.trim()}: ${w.errors} errors (5xx ${w.serverErrors})`);
  const samples = w.samples.length > 0 ? ` — e.g. ${w.samples.join(" | ")}` : "";
  return `${label}: ${w.writes} writes in ${(w.elapsedMs / 1000).toFixed(1)} s, errors ${w.errors} (5xx ${w.serverErrors})${samples}`;
}

// Main -------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ` +
      `node ${process.version}, ${os.platform()} ${os.release()}, load average at start ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" / ")}` +
      (PARTS.size < 4 || SCALE !== 1 ? ` (BENCH_ONLY=${[...PARTS].join(",")}, BENCH_SCALE=${SCALE})` : ""),
  );

  // 1. The billing run (and the database the other parts use).
  const rounds: RunRound[] = [];
  const needRun = PARTS.has("run") || PARTS.has("pdf") || PARTS.has("pages");
  for (let i = 0; i < (PARTS.has("run") ? ROUNDS : needRun ? 1 : 0); i++) rounds.push(await billingRunRound(i));
  const mid =
    rounds.length > 0 ? [...rounds].sort((a, b) => a.total - b.total)[Math.floor((rounds.length - 1) / 2)] : null;
  if (PARTS.has("run") && mid) {
    const pdfPages = pageCount(mid.pdf.value);
    const roundTotals = rounds.map((r) => fmt(r.total)).join(" / ");
    console.log(
      `billing run 290 municipalities × (annual fee + 10 projects) issued with every PDF (drafted, issued, each invoice and each ` +
        `project-year's appendix rendered once): ${fmt(mid.total)} (CPU ${fmt(mid.totalCpu)}; median of ${rounds.length} rounds: ` +
        `${roundTotals}, the first in a cold process) ${target(mid.total, 1000)}; the PDF alone ${fmt(mid.pdf.wall)}, ` +
        `${Math.round((mid.pdf.wall / mid.total) * 100)} % of it`,
    );
    console.log(
      `  drafting 290 invoices (3 190 lines, 10 allocations): ${fmt(mid.draft.wall)} (CPU ${fmt(mid.draft.cpu)})`,
    );
    console.log(
      `  issuing 290 invoices (numbers, OCR, frozen documents, e-invoices with places for their PDFs, 10 appendix snapshots): ${fmt(mid.issue.wall)} (CPU ${fmt(mid.issue.cpu)})`,
    );
    console.log(
      `  every PDF: the run's file, 290 invoices without appendices + the 10 shared appendices once (${pages(pdfPages)}, ` +
        `${(mid.pdf.value.length / 1e6).toFixed(2)} MB), documents read from the database included: ${fmt(mid.pdf.wall)} (CPU ${fmt(mid.pdf.cpu)}); ` +
        `per invoice ${fmt(mid.pdf.wall / 290)} ${target(mid.pdf.wall / 290, 3)}`,
    );
  }

  // 2. One invoice.
  const typical = mid ? { ...mid.docs[Math.floor(mid.docs.length / 2)], appendices: [] } : null;
  let single: { wall: number } | null = null;
  if (PARTS.has("pdf") && mid && typical) {
    const one = await pdfkitMedian(typical, 20, 200);
    single = one;
    console.log(
      `PDF of one typical invoice (annual fee + 10 project lines, ${pages(one.pages)}, pdfkit): median ${fmt(one.wall)} of 200, ` +
        `mean CPU ${fmt(one.cpu)} ${target(one.wall, 3)}`,
    );
    const full = await pdfkitMedian(mid.docs[0], 1, 5);
    console.log(
      `PDF of one invoice downloaded on its own with its 10 full-size appendices (290 rows each, ${pages(full.pages)}): median ${fmt(full.wall)} of 5`,
    );
  }

  // 3. Drafting at scale.
  if (PARTS.has("draft")) await draftingAtScale();

  try {
    if (PARTS.has("pdf") && typical && single) {
      const browser = await chromiumMedian(typical);
      if (browser === null) console.log(`Chromium comparison skipped: no browser at ${CHROMIUM}`);
      else {
        console.log(
          `the same invoice as HTML printed by a warm headless Chromium (page.setContent + page.pdf, ${pages(browser.pages)}; 3 to warm up, median of 20): ` +
            `${fmt(browser.wall)}, ${(browser.wall / single.wall).toFixed(0)} × pdfkit's ${fmt(single.wall)}`,
        );
      }
    }
    if (PARTS.has("pages") && rounds.length > 0) await againstTheServer(rounds[0].dbPath);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** 4. The pages and the API against `node server.js`, on a database with 290 members and 290 issued invoices. */
async function againstTheServer(dbPath: string): Promise<void> {
  useDatabase(dbPath);
  await seedBenchUsers();
  const sqlite = connection().sqlite;
  const invoiceIds = (
    sqlite.prepare("SELECT id FROM invoices WHERE number IS NOT NULL ORDER BY total_ore DESC").pluck().all() as number[]
  ).slice(0, 100);
  const memberIds = sqlite.prepare("SELECT id FROM members ORDER BY id").pluck().all() as number[];
  const projectId = sqlite.prepare("SELECT id FROM projects ORDER BY id").pluck().get() as number;
  closeDatabase();

  let server: BenchServer | undefined;
  const writers: ChildProcess[] = [];
  try {
    server = await startBenchServer(dbPath);
    const url = server.url;
    const cookie = await loginCookie(url, BENCH_USERS.admin, BENCH_PASSWORD);
    const adminToken = await bearerToken(url, BENCH_USERS.admin, BENCH_PASSWORD);
    const treasurerToken = await bearerToken(url, BENCH_USERS.treasurer, BENCH_PASSWORD);

    // The member list, one request at a time, beside the login page (the same server and layout, no data).
    const get = async (p: string, headers: Record<string, string> = { Cookie: cookie }) => {
      const res = await fetch(`${url}${p}`, { headers, redirect: "manual" });
      const body = await res.text();
      check(res.status === 200, `GET ${p} answered ${res.status}`);
      return body;
    };
    const page = await get("/members");
    check(
      memberIds.every((id) => page.includes(`/members/${id}?`)),
      "/members should list all 290 members",
    );
    const sequential = async (p: string, headers?: Record<string, string>) => {
      for (let i = 0; i < 10; i++) await get(p, headers);
      const walls: number[] = [];
      for (let i = 0; i < 200; i++) {
        const started = performance.now();
        await get(p, headers);
        walls.push(performance.now() - started);
      }
      return walls;
    };
    const loginPage = await sequential("/login", {});
    const memberPage = await sequential("/members");
    console.log(
      `member list page /members, 290 members (${Math.round(page.length / 1024)} kB of HTML), as the board, 200 sequential requests after 10 to warm up: ` +
        `median ${fmt(median(memberPage))}, p95 ${fmt(percentile(memberPage, 95))} ${target(median(memberPage), 20)}; ` +
        `the login page (reference) median ${fmt(median(loginPage))}, p95 ${fmt(percentile(loginPage, 95))}: ${(median(memberPage) / median(loginPage)).toFixed(1)} ×`,
    );

    // Load, with a second process writing payments over HTTP.
    const http = await startWriter({
      WRITER_MODE: "http",
      BENCH_URL: url,
      BENCH_TOKEN: treasurerToken,
      BENCH_INVOICE_IDS: invoiceIds.join(","),
      BENCH_MEMBER_IDS: memberIds.join(","),
      BENCH_YEAR: String(YEAR),
    });
    writers.push(http.child);
    const load = (path: string, headers: Record<string, string>) =>
      autocannon({ url: `${url}${path}`, connections: 10, duration: LOAD_SECONDS, headers, timeout: 10 });
    const reference = await load("/login", {});
    console.log(
      loadLine(
        `load GET /login (the reference: no data), 10 connections × ${LOAD_SECONDS} s, payments written meanwhile`,
        reference,
      ),
    );
    const endpoints: Array<{ label: string; path: string; headers: Record<string, string>; targets?: true }> = [
      { label: "GET /members (cookie)", path: "/members", headers: { Cookie: cookie }, targets: true },
      {
        label: `GET /projects/${projectId}/allocation?year=${YEAR} (cookie)`,
        path: `/projects/${projectId}/allocation?year=${YEAR}`,
        headers: { Cookie: cookie },
      },
      {
        label: "GET /api/v1/members (bearer)",
        path: "/api/v1/members",
        headers: { Authorization: `Bearer ${adminToken}` },
      },
    ];
    for (const e of endpoints) {
      const r = await load(e.path, e.headers);
      const versus =
        `; p50 ${(r.latency.p50 / Math.max(reference.latency.p50, 0.01)).toFixed(1)} ×, ` +
        `p99 ${(r.latency.p99 / Math.max(reference.latency.p99, 0.01)).toFixed(1)} × the reference's`;
      const goals = e.targets
        ? ` (targets p50 < 20 ms: ${r.latency.p50 < 20 ? "met" : "MISSED"}, p99 < 100 ms: ${r.latency.p99 < 100 ? "met" : "MISSED"})`
        : "";
      console.log(
        loadLine(`load ${e.label}, 10 connections × ${LOAD_SECONDS} s, payments written meanwhile`, r) + versus + goals,
      );
    }
    console.log(
      writerLine(
        "  the writer (second process, POST /api/v1/invoices/:id/payments of 0,01 kr over HTTP)",
        await http.stop(),
      ),
    );

    // Payments over HTTP while another process writes to the same database file.
    const direct = await startWriter({
      WRITER_MODE: "direct",
      DATABASE_PATH: dbPath,
      BENCH_INVOICE_IDS: invoiceIds.slice(50).join(","),
    });
    writers.push(direct.child);
    let next = 0;
    const payIds = invoiceIds.slice(0, 50);
    const r = await autocannon({
      url,
      connections: 10,
      duration: LOAD_SECONDS,
      timeout: 10,
      requests: [
        {
          method: "POST",
          headers: { Authorization: `Bearer ${treasurerToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ amount: "0.01", paidOn: todayIso() }),
          setupRequest: (req) => ({ ...req, path: `/api/v1/invoices/${payIds[next++ % payIds.length]}/payments` }),
        },
      ],
    });
    console.log(
      loadLine(
        `load POST /api/v1/invoices/:id/payments (bearer), 10 connections × ${LOAD_SECONDS} s, another process writing to the database file meanwhile`,
        r,
      ),
    );
    console.log(
      writerLine(
        "  the other process (payments through the use case on the file itself, one every 2 ms)",
        await direct.stop(),
      ),
    );
    if (loadFailures.length === 0)
      console.log(
        "load test: every request answered without an error, a non-2xx status or a 5xx; the writers had no errors",
      );
    else {
      console.log(`load test FAILED: ${loadFailures.join("; ")}`);
      process.exitCode = 1;
    }
  } finally {
    for (const w of writers) if (w.exitCode === null) w.kill();
    await server?.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
