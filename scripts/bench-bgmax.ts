/*
 * How long taking in a BgMax file of 5 000 payments takes (docs/bgmax.md): upload (read, check, store, preview)
 * and apply (one transaction), on a fresh database with 2 475 issued invoices. Run: `npx tsx scripts/bench-bgmax.ts`.
 * 4 000 payments pay 2 000 invoices in two halves (partial, then exact), 1 000 have an unknown reference.
 */
import { todayIso } from "../billing/dates";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-bench-bgmax-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");

const year = 2026;
const { seedSynthetic } = await import("./bench-seed");
const billing = {
  ...(await import("../app/features/billing-runs/commands.server")),
  ...(await import("../app/features/invoices/credit.server")),
  ...(await import("../app/features/invoices/documents.server")),
  ...(await import("../app/features/invoices/drafts.server")),
  ...(await import("../app/features/invoices/issue.server")),
  ...(await import("../app/features/invoices/queries.server")),
  ...(await import("../app/features/invoices/reminders.server")),
  ...(await import("../app/features/payments/commands.server")),
};
const files = {
  ...(await import("../app/features/payments/bank-file-apply.server")),
  ...(await import("../app/features/payments/bank-files.server")),
  ...(await import("../app/features/payments/unmatched.server")),
};
const { readBgmax } = await import("../billing/bgmax");
const { SYSTEM_SCOPE } = await import("../db/scope");
const { bgmaxFile } = await import("../test/support/bgmax-writer");

seedSynthetic({ members: 2475, projects: 0, year });
const run = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee"] });
const invoices = billing.issueRun(SYSTEM_SCOPE, run.run!.id);
const today = todayIso();
const payments = [];
let serial = 0;
for (const inv of invoices.slice(0, 2000)) {
  const half = Math.floor(inv.totalOre / 2);
  payments.push({ reference: inv.ocr!, amountOre: half, serial: ++serial, payer: `Betalare ${serial}` });
  payments.push({ reference: inv.ocr!, amountOre: inv.totalOre - half, serial: ++serial, payer: `Betalare ${serial}` });
}
for (let i = 0; i < 1000; i++)
  payments.push({ reference: String(900000 + i), amountOre: 10_000 + i, serial: ++serial, payer: `Okänd ${i}` });
const bytes = bgmaxFile([{ date: today, payments }], { bankgiro: "50501055" });

let t = performance.now();
const read = readBgmax(bytes);
const readMs = performance.now() - t;
if (!read.ok) throw new Error(read.error.message);
t = performance.now();
const preview = files.uploadPaymentFile(SYSTEM_SCOPE, bytes, "bench.txt");
const uploadMs = performance.now() - t;
t = performance.now();
const sums = files.applyPaymentFile(SYSTEM_SCOPE, preview.id, { applied: preview.applied.amount });
const applyMs = performance.now() - t;
console.log(
  `BgMax file: ${payments.length} payments, ${(bytes.length / 1024).toFixed(0)} KiB, ${invoices.length} issued invoices`,
);
console.log(`read only: ${readMs.toFixed(0)} ms`);
console.log(`upload (read, duplicate checks, store, preview): ${uploadMs.toFixed(0)} ms`);
console.log(
  `apply (one transaction: ${sums.applied.count} payments on invoices, ${sums.unmatched.count} unmatched): ${applyMs.toFixed(0)} ms`,
);
console.log(`preview + apply: ${(uploadMs + applyMs).toFixed(0)} ms`);
fs.rmSync(dir, { recursive: true, force: true });
