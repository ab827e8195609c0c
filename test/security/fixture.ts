import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { todayIso } from "../../billing/dates";
import { SYSTEM_SCOPE } from "../../db/scope";
import { BillingRunSchema } from "../../app/lib/billing-schemas";
import { association, FOUR_MUNICIPALITIES } from "../support/association";
import { bgmaxFile } from "../support/bgmax-writer";
import { serve, stopServed, type Served } from "../support/http";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { listInvoiceViews } from "../../app/features/invoices/queries.server";
import { applyPaymentFile } from "../../app/features/payments/bank-file-apply.server";
import { uploadPaymentFile } from "../../app/features/payments/bank-files.server";
import { listUnmatchedPayments } from "../../app/features/payments/unmatched.server";

/*
 * What the security tests share: the application's routes as Remix sees them, and one association with data
 * behind every kind of route (the four municipalities of the API tests, two open projects, settings, an issued
 * billing run for 2025 with one overdue invoice, a run of drafts for 2026, a BgMax file applied and one in
 * preview), built in-process through test/support/association.ts, then served with a cookie and a token per role.
 */
const ROOT = path.resolve(__dirname, "../..");

export interface AppRoute {
  /** The route id, e.g. "routes/members.$id_.edit". */
  id: string;
  /** The URL pattern, e.g. "/members/:id/edit". */
  path: string;
  file: string;
  api: boolean;
  /** Renders HTML (has a default export); otherwise a resource route (JSON, PDF, CSV, redirect). */
  page: boolean;
  hasAction: boolean;
}

interface RemixRoute {
  id: string;
  path?: string;
  file: string;
  index?: boolean;
  children?: RemixRoute[];
}

/** Every route of the app, from `remix routes --json` (the route tree the compiler builds from app/routes). */
export function appRoutes(): AppRoute[] {
  const out = execFileSync("npx", ["remix", "routes", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const tree = JSON.parse(out) as RemixRoute[];
  const routes: AppRoute[] = [];
  const walk = (nodes: RemixRoute[], parent: string) => {
    for (const node of nodes) {
      const full = [parent, node.path ?? ""].filter(Boolean).join("/").replace(/\/+/g, "/");
      if (node.id !== "root") {
        const source = fs.readFileSync(path.join(ROOT, "app", node.file), "utf8");
        routes.push({
          id: node.id,
          path: `/${full}`.replace(/\/+$/, "") || "/",
          file: node.file,
          api: node.id.startsWith("routes/api."),
          page: /^export default\b/m.test(source),
          hasAction: /^export (async function action\b|const action\b|\{[^}]*\baction\b)/m.test(source),
        });
      }
      walk(node.children ?? [], full);
    }
  };
  walk(tree, "");
  return routes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The route files in app/routes, as route ids: a file Remix would not route would show up as a difference. */
export function routeFileIds(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "app", "routes"))
    .filter((f) => /\.(tsx?|jsx?)$/.test(f) && !f.startsWith("."))
    .map((f) => `routes/${f.replace(/\.(tsx?|jsx?)$/, "")}`)
    .sort();
}

/** The URL of a route pattern with its parameters filled in. */
export function fill(pattern: string, params: Record<string, string | number>): string {
  return pattern.replace(/:(\w+)|\*$/g, (_m, name: string | undefined) => {
    const key = name ?? "*";
    if (!(key in params)) throw new Error(`no value for :${key} in ${pattern}`);
    return encodeURIComponent(String(params[key]));
  });
}

export const MISSING_ID = 999_999;
export type Params = Record<string, string | number>;

export const YEAR = 2025;

export interface SecurityContext extends Served {
  projects: { joined: number; other: number };
  runs: { issued: number; drafts: number };
  invoices: { own: number; other: number; overdue: number; ownDraft: number };
  paymentFiles: { applied: number; preview: number };
  unmatched: { open: number };
}

export async function startSecurityContext(): Promise<SecurityContext> {
  const ctx = await association({
    municipalities: FOUR_MUNICIPALITIES,
    prefix: "sambruk-security-",
    settings: { nextInvoiceNumber: 2025001 },
    // Projects: the member user's municipality takes part in one; the other is open to it.
    projects: [
      {
        code: "SEC-1",
        name: "Säker e-tjänst",
        allocationKey: "per_capita",
        status: "open",
        budgets: { [YEAR]: "100000.00" },
        participants: [{ member: "1438" }, { member: "1480" }],
      },
      {
        code: "SEC-2",
        name: "Öppet projekt",
        allocationKey: "equal",
        status: "open",
        budgets: { [YEAR]: "100000.00" },
        participants: [{ member: "1480" }],
      },
    ],
  });
  const { members, scope } = ctx;

  // Invoicing: an issued run for 2025 and a run of drafts for 2026.
  const issuedRun = createBillingRun(
    scope.treasurer,
    BillingRunSchema.parse({ year: YEAR, charges: ["annual_fee", "project_share"] }),
  ).run!;
  const issued = issueRun(scope.treasurer, issuedRun.id);
  const draftRun = createBillingRun(
    scope.treasurer,
    BillingRunSchema.parse({ year: YEAR + 1, charges: ["annual_fee"] }),
  ).run!;
  const drafts = listInvoiceViews(SYSTEM_SCOPE, { runId: draftRun.id });
  const find = (list: Array<{ id: number; memberId: number }>, memberId: number) => {
    const found = list.find((i) => i.memberId === memberId);
    if (!found) throw new Error(`no invoice for member ${memberId}`);
    return found.id;
  };
  const invoices = {
    own: find(issued, members.dalsEd),
    other: find(issued, members.goteborg),
    overdue: find(issued, members.molndal),
    ownDraft: find(drafts, members.dalsEd),
  };
  ctx.sqlite().prepare("UPDATE invoices SET due_date = '2025-02-28' WHERE id = ?").run(invoices.overdue);

  // BgMax: an applied file that left one unmatched payment, and a file still in preview.
  const paidOn = todayIso();
  const appliedFile = uploadPaymentFile(
    scope.treasurer,
    bgmaxFile([{ date: paidOn, payments: [{ reference: "4711", amountOre: 12300, serial: 1, payer: "Okänd" }] }], {
      bankgiro: "50501055",
    }),
  );
  applyPaymentFile(scope.treasurer, appliedFile.id);
  const previewFile = uploadPaymentFile(
    scope.treasurer,
    bgmaxFile([{ date: paidOn, payments: [{ reference: "4712", amountOre: 100, serial: 2 }] }], {
      bankgiro: "50501055",
    }),
  );
  const unmatched = { open: listUnmatchedPayments(scope.treasurer, { status: "open" })[0].id };

  const http = await serve(ctx);
  return {
    ...ctx,
    ...http,
    stop: async () => {
      await http.stop();
      ctx.close();
    },
    projects: { joined: ctx.project["SEC-1"], other: ctx.project["SEC-2"] },
    runs: { issued: issuedRun.id, drafts: draftRun.id },
    invoices,
    paymentFiles: { applied: appliedFile.id, preview: previewFile.id },
    unmatched,
  };
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export interface ApiRow {
  methods: Method[];
  params?: (c: SecurityContext) => Params;
}

/** The methods of every /api/v1 route, keyed by route id (checked against the Allow header the route answers). */
export const API: Record<string, ApiRow> = {
  "routes/api.v1.$": { methods: [], params: () => ({ "*": "no-such-endpoint" }) },
  "routes/api.v1.tokens": { methods: ["POST", "DELETE"] },
  "routes/api.v1.members": { methods: ["GET", "POST"] },
  "routes/api.v1.members.$id": { methods: ["GET", "PATCH"], params: (c) => ({ id: c.members.dalsEd }) },
  "routes/api.v1.members.$id.populations.$year": {
    methods: ["PUT"],
    params: (c) => ({ id: c.members.dalsEd, year: YEAR }),
  },
  "routes/api.v1.fee-schedules": { methods: ["GET", "POST"] },
  "routes/api.v1.fee-schedules.$id": { methods: ["PUT", "DELETE"], params: () => ({ id: 1 }) },
  "routes/api.v1.fees": { methods: ["GET"] },
  "routes/api.v1.users": { methods: ["GET", "POST"] },
  "routes/api.v1.users.$id": { methods: ["GET", "PATCH"], params: (c) => ({ id: c.users.member.id }) },
  "routes/api.v1.projects": { methods: ["GET", "POST"] },
  "routes/api.v1.projects.$id": { methods: ["GET", "PATCH"], params: (c) => ({ id: c.projects.joined }) },
  "routes/api.v1.projects.$id.allocation": { methods: ["GET"], params: (c) => ({ id: c.projects.joined }) },
  "routes/api.v1.projects.$id.budgets.$year": {
    methods: ["PUT"],
    params: (c) => ({ id: c.projects.joined, year: YEAR }),
  },
  "routes/api.v1.projects.$id.outcomes.$year": {
    methods: ["PUT"],
    params: (c) => ({ id: c.projects.joined, year: YEAR }),
  },
  "routes/api.v1.projects.$id.participants": { methods: ["POST"], params: (c) => ({ id: c.projects.joined }) },
  "routes/api.v1.projects.$id.participants.$memberId": {
    methods: ["PATCH"],
    params: (c) => ({ id: c.projects.joined, memberId: c.members.dalsEd }),
  },
  "routes/api.v1.billing-runs": { methods: ["GET", "POST"] },
  "routes/api.v1.billing-runs.$id.issue": { methods: ["POST"], params: (c) => ({ id: c.runs.drafts }) },
  "routes/api.v1.invoices": { methods: ["GET"] },
  "routes/api.v1.invoices.$id": { methods: ["GET"], params: (c) => ({ id: c.invoices.own }) },
  "routes/api.v1.invoices.$id.pdf": { methods: ["GET"], params: (c) => ({ id: c.invoices.own }) },
  "routes/api.v1.invoices.$id.payments": { methods: ["POST"], params: (c) => ({ id: c.invoices.own }) },
  "routes/api.v1.invoices.$id.credit": { methods: ["POST"], params: (c) => ({ id: c.invoices.own }) },
  // BgMax payments and receivables
  "routes/api.v1.payment-files": { methods: ["POST"] },
  "routes/api.v1.payment-files.$id.apply": { methods: ["POST"], params: (c) => ({ id: c.paymentFiles.preview }) },
  "routes/api.v1.unmatched-payments": { methods: ["GET"] },
  "routes/api.v1.unmatched-payments.$id.assign": { methods: ["POST"], params: (c) => ({ id: c.unmatched.open }) },
  "routes/api.v1.unmatched-payments.$id.refund": { methods: ["POST"], params: (c) => ({ id: c.unmatched.open }) },
  "routes/api.v1.receivables": { methods: ["GET"] },
  // Data in and out (SCB populations, SIE).
  "routes/api.v1.exports.sie": { methods: ["GET"] },
  "routes/api.v1.population-imports": { methods: ["POST"] },
  "routes/api.v1.population-imports.$id.apply": { methods: ["POST"], params: () => ({ id: MISSING_ID }) },
  "routes/api.v1.billing-runs.$id.send": { methods: ["POST"], params: (c) => ({ id: c.runs.issued }) },
  "routes/api.v1.invoices.$id.send": { methods: ["POST"], params: (c) => ({ id: c.invoices.own }) },
  // E-invoicing (docs/e-invoice.md)
  "routes/api.v1.invoices.$id.ubl": { methods: ["GET"], params: (c) => ({ id: c.invoices.own }) },
  "routes/api.v1.settings": { methods: ["GET", "PUT"] },
};

export const stopSecurityContext = (ctx: SecurityContext | undefined) => stopServed(ctx);
