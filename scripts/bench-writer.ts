/*
 * The second process of the load test in scripts/bench.ts: writes payments without pause until its parent sends
 * "stop", then answers with what it did. Two modes:
 *
 * - `http`: POST /api/v1/invoices/:id/payments of 0,01 kr in turn on issued invoices with large balances, as the
 *   treasurer (bearer token); if every invoice is paid off, PUT population figures instead.
 * - `direct`: the same payments through the use case on the database file itself, as another process on the
 *   server's machine (the admin CLI, an import) would, paced at one every 2 ms, so that the server's own writes
 *   meet a lock held by another process.
 *
 * Environment: WRITER_MODE, BENCH_URL, BENCH_TOKEN, BENCH_INVOICE_IDS (comma-separated), BENCH_MEMBER_IDS,
 * BENCH_YEAR, DATABASE_PATH (direct mode).
 */
import { currentYear, todayIso } from "../billing/dates";
import { setTimeout as sleep } from "node:timers/promises";

export interface WriterSummary {
  mode: string;
  writes: number;
  errors: number;
  serverErrors: number;
  samples: string[];
  elapsedMs: number;
}

const mode = process.env.WRITER_MODE ?? "http";
const url = process.env.BENCH_URL ?? "";
const token = process.env.BENCH_TOKEN ?? "";
const invoiceIds = (process.env.BENCH_INVOICE_IDS ?? "").split(",").filter(Boolean).map(Number);
const memberIds = (process.env.BENCH_MEMBER_IDS ?? "").split(",").filter(Boolean).map(Number);
const year = Number(process.env.BENCH_YEAR ?? currentYear());
const today = todayIso();

let stopping = false;
process.on("message", (m) => {
  if (m === "stop") stopping = true;
});

const summary: WriterSummary = { mode, writes: 0, errors: 0, serverErrors: 0, samples: [], elapsedMs: 0 };
function failed(what: string): void {
  summary.errors++;
  if (summary.samples.length < 3) summary.samples.push(what);
}

async function httpWriter(): Promise<void> {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const open = [...invoiceIds];
  let i = 0;
  let population = 1000;
  while (!stopping) {
    try {
      let res: Response;
      if (open.length > 0) {
        const id = open[i++ % open.length];
        res = await fetch(`${url}/api/v1/invoices/${id}/payments`, {
          method: "POST",
          headers,
          body: JSON.stringify({ amount: "0.01", paidOn: today }),
        });
        // A paid-off invoice (409) or a balance under one öre (422) leaves the rotation; anything else is an error.
        if (res.status === 409 || res.status === 422) {
          open.splice(open.indexOf(id), 1);
          await res.arrayBuffer();
          continue;
        }
      } else {
        const member = memberIds[i++ % memberIds.length];
        res = await fetch(`${url}/api/v1/members/${member}/populations/${year - 5}`, {
          method: "PUT",
          headers,
          body: JSON.stringify({ population: population++ }),
        });
      }
      const body = await res.text();
      if (res.status >= 500) summary.serverErrors++;
      if (res.status !== 201 && res.status !== 200) failed(`${res.status} ${body.slice(0, 200)}`);
      else summary.writes++;
    } catch (error) {
      failed(String(error));
    }
  }
}

// Loaded before "ready", so that the writing starts at once when the parent starts measuring.
const direct =
  mode === "direct"
    ? { ...(await import("../app/features/payments/commands.server")), ...(await import("../db/scope")) }
    : null;

async function directWriter(): Promise<void> {
  const { registerPayment, SYSTEM_SCOPE } = direct!;
  const open = [...invoiceIds];
  let i = 0;
  while (!stopping && open.length > 0) {
    const id = open[i++ % open.length];
    try {
      registerPayment(SYSTEM_SCOPE, id, { amount: 1, paidOn: today, note: "bench" });
      summary.writes++;
    } catch (error) {
      const message =
        error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
      if (/already_paid|validation_failed/.test(message)) open.splice(open.indexOf(id), 1);
      else failed(message);
    }
    await sleep(2);
  }
}

const started = performance.now();
process.send?.("ready");
await (mode === "direct" ? directWriter() : httpWriter());
while (!stopping) await sleep(10);
summary.elapsedMs = Math.round(performance.now() - started);
process.send?.(summary, () => process.exit(0));
