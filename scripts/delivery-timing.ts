/*
 * `npx tsx scripts/delivery-timing.ts`: the time to send the demo association's issued run by each channel
 * (docs/delivery.md), on a fresh copy of the demo in a temporary folder: every member on Peppol (the outbox), on
 * e-mail to a local SMTP server (smtp-server on loopback), on e-mail without SMTP (.eml files), and on print.
 * One line per channel.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-delivery-timing-"));
process.env.DATABASE_PATH = path.join(dir, "demo.db");

const { seedDemo } = await import("../app/features/demo/seed.server");
await seedDemo(path.join(root, "data", "municipalities-2024.csv"));
const { connection } = await import("../db/client");
const { sendRun } = await import("../app/features/delivery/runs.server");
const { SYSTEM_SCOPE } = await import("../db/scope");
const sqlite = connection().sqlite;
const run = sqlite
  .prepare(
    "SELECT run_id AS id, count(*) AS n FROM invoices WHERE run_id IS NOT NULL AND state <> 'draft' GROUP BY run_id ORDER BY n DESC",
  )
  .get() as { id: number; n: number };

let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, callback) {
    stream.on("data", () => undefined);
    stream.on("end", () => {
      received++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
const port = (smtp.server.address() as AddressInfo).port;

sqlite.prepare("UPDATE members SET invoice_email = coalesce(invoice_email, 'faktura@' || id || '.example.se')").run();

const base = {
  smtpFrom: null,
  peppolOutbox: path.join(dir, "outbox", "peppol"),
  emailOutbox: path.join(dir, "outbox", "email"),
};
const cases = [
  { label: "peppol (outbox files)", channel: "peppol", config: { ...base, smtpUrl: null } },
  { label: "email over SMTP (loopback)", channel: "email", config: { ...base, smtpUrl: `smtp://127.0.0.1:${port}` } },
  {
    label: "email pooled SMTP (loopback)",
    channel: "email",
    config: { ...base, smtpUrl: `smtp://127.0.0.1:${port}?pool=true` },
  },
  { label: "email as .eml files (no SMTP_URL)", channel: "email", config: { ...base, smtpUrl: null } },
  { label: "print (listed for the print PDF)", channel: "print", config: { ...base, smtpUrl: null } },
] as const;

console.log(`demo run ${run.id}: ${run.n} issued invoices`);
for (const c of cases) {
  sqlite.prepare("UPDATE members SET delivery_channel = ?").run(c.channel);
  const start = process.hrtime.bigint();
  const reports = await sendRun(SYSTEM_SCOPE, run.id, { resend: true }, c.config);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const sent = reports.filter((r) => r.status === "sent").length;
  console.log(
    `${c.label.padEnd(36)} ${sent}/${reports.length} sent in ${(ms / 1000).toFixed(2)} s (${(ms / reports.length).toFixed(1)} ms per invoice)`,
  );
}
if (sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE channel = 'print' AND status = 'sent'").get()) {
  const { printPdfOfRun } = await import("../app/features/delivery/runs.server");
  const start = process.hrtime.bigint();
  const pdf = await printPdfOfRun(SYSTEM_SCOPE, run.id);
  console.log(
    `${"print PDF of the run".padEnd(36)} ${pdf!.length} bytes in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2)} s`,
  );
}
console.log(`SMTP server received ${received} messages`);
smtp.close();
fs.rmSync(dir, { recursive: true, force: true });
