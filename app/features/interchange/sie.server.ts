import type { Settings } from "../settings/queries.server";
import { todayIso } from "../../../billing/dates";
import { sumOre, type Ore } from "../../../billing/money";
import { accountsFrom, sieBytes, sieText, sieVouchers, type SieAccounts } from "../../../billing/sie";
import { bookkeepingOfPeriod } from "../../../db/bookkeeping";
import { transaction } from "../../../db/client";
import type { SiePeriod } from "../../lib/bookkeeping-schemas";
import { requireSettings } from "../settings/queries.server";
import { authorize } from "../../../billing/policy";
import type { Scope } from "../../../db/scope";

/*
 * The SIE 4I export of a period (docs/sie.md), for the page and GET /api/v1/exports/sie alike (`invoice.export`:
 * the treasurer and the board). Reads only: one read transaction so invoices, lines and payments agree.
 */

const PROGRAM = { name: "Sambruk Admin", version: "0.1.0" };

export function accountsOf(s: Settings | undefined): SieAccounts {
  let stored: unknown = {};
  try {
    stored = JSON.parse(s?.accounts ?? "{}");
  } catch {
    // A hand-edited column that is not JSON: the BAS defaults rather than no export at all.
  }
  return accountsFrom(stored);
}

export interface SieExport {
  bytes: Buffer;
  filename: string;
  invoices: number;
  creditNotes: number;
  payments: number;
  vouchers: number;
  invoiced: Ore;
  paid: Ore;
}

export function sieExport(scope: Scope, period: SiePeriod, today = todayIso()): SieExport {
  authorize(scope, "invoice.export");
  return transaction((tx) => {
    // 409 with a pointer to the settings until the association's name and organisation number exist.
    const settings = requireSettings(tx);
    const accounts = accountsOf(settings);
    const data = bookkeepingOfPeriod(tx, period.from, period.to);
    const vouchers = sieVouchers({ ...data, accounts });
    const text = sieText({
      program: PROGRAM,
      generatedOn: today,
      company: { name: settings.name, orgNumber: settings.orgNumber },
      accounts,
      vouchers,
    });
    return {
      bytes: sieBytes(text),
      filename: `sambruk-${period.from.replaceAll("-", "")}-${period.to.replaceAll("-", "")}.si`,
      invoices: data.invoices.filter((i) => i.kind === "invoice").length,
      creditNotes: data.invoices.filter((i) => i.kind === "credit_note").length,
      payments: data.payments.length,
      vouchers: vouchers.length,
      invoiced: sumOre(data.invoices.map((i) => i.total)),
      paid: sumOre(data.payments.map((p) => p.amount)),
    };
  }, "deferred");
}

/** The file as an HTTP answer: CP437 bytes, a download named after the period. */
export function sieResponse(e: SieExport): Response {
  return new Response(new Uint8Array(e.bytes), {
    headers: {
      // SIE has no registered media type; the charset tells a browser or proxy the text is not UTF-8.
      "Content-Type": "text/plain; charset=IBM437",
      "Content-Disposition": `attachment; filename="${e.filename}"`,
      "Content-Length": String(e.bytes.length),
      "Cache-Control": "private, no-store",
    },
  });
}
