import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { association } from "../support/association";
import { createMember } from "../../app/features/members/commands.server";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { deliveryStates } from "../../app/features/delivery/log.server";
import { reminderPdf, sendReminder } from "../../app/features/delivery/reminders.server";
import { printPdfOfRun, runDeliverySummary, sendRun } from "../../app/features/delivery/runs.server";
import { sendInvoice, ublOf } from "../../app/features/delivery/send.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { recordReminder } from "../../app/features/invoices/reminders.server";

/*
 * Sending issued invoices and reminders (docs/delivery.md), in-process against a fresh migrated SQLite file and a
 * real SMTP server (smtp-server on loopback): what the member receives, what the log says, what a retry sends,
 * and the Peppol outbox files.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-delivery-"));
const peppolOutbox = path.join(dir, "outbox", "peppol");
const emailOutbox = path.join(dir, "outbox", "email");
const repoRoot = path.resolve(__dirname, "../..");
let sqlite: import("better-sqlite3").Database;
let scope: import("../../db/scope").Scope;
let runId: number;
const ids: Record<string, number> = {};
const numbers: Record<string, number> = {};

// The SMTP server: keeps every message; refuses every sender while `refusing` is set (a mail server that is down).
const received: Array<{ to: string[]; mail: ParsedMail }> = [];
let refusing = false;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onMailFrom(_address, _session, callback) {
    if (refusing)
      return callback(Object.assign(new Error("Tjänsten är tillfälligt otillgänglig"), { responseCode: 451 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      simpleParser(Buffer.concat(chunks)).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    });
  },
});
let smtpUrl = "";

const config = () => ({ smtpUrl, smtpFrom: null, peppolOutbox, emailOutbox });
const pdfText = (pdf: Buffer) => execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf }).toString("utf8");
const rows = (invoiceId: number) =>
  sqlite
    .prepare(
      "SELECT channel, status, recipient, message_id AS messageId, error, sent_by AS sentBy FROM deliveries WHERE invoice_id = ? ORDER BY id",
    )
    .all(invoiceId) as Array<{
    channel: string;
    status: string;
    recipient: string | null;
    messageId: string | null;
    error: string | null;
    sentBy: number | null;
  }>;
const byInvoice = (reports: Awaited<ReturnType<typeof sendRun>>, key: string) =>
  reports.find((r) => r.invoiceId === ids[key])!;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  const a = await association({
    municipalities: ["1438", "1480", "1481"],
    settings: { nextInvoiceNumber: 2025001 },
    prefix: "sambruk-delivery-db-",
  });
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { generateOrgNumber } = await import("../../billing/identifiers");
  sqlite = a.sqlite();

  ids.dalsEd = a.member["1438"]; // a municipality: Peppol by default
  ids.goteborg = a.member["1480"];
  ids.molndal = a.member["1481"];
  const organisation = (name: string, digits: string, invoiceEmail: string | undefined) =>
    createMember(SYSTEM_SCOPE, {
      kind: "organisation",
      name,
      orgNumber: generateOrgNumber(digits),
      joinedOn: "2020-01-01",
      population: { year: 2024, population: 5000 },
      invoiceAddress: { street: "Box 2", postalCode: "222 22", city: "Lund" },
      invoiceEmail,
      reference: "Ref org",
    }).id;
  ids.skr = organisation("Sveriges Kommuner och Regioner", "222000001", "ekonomi@skr.example.se"); // e-mail by default
  ids.noEmail = organisation("Föreningen Utan Adress", "802000002", undefined);
  // The member form's channel field belongs to the e-invoice work; here the column is set directly.
  sqlite.prepare("UPDATE members SET delivery_channel = ? WHERE id = ?").run("email", ids.goteborg);
  sqlite.prepare("UPDATE members SET delivery_channel = ? WHERE id = ?").run("print", ids.molndal);

  scope = a.scope.treasurer;
  const run = createBillingRun(scope, { year: 2025, charges: ["annual_fee"] });
  runId = run.run!.id;
  for (const inv of issueRun(scope, runId)) {
    const key = Object.keys(ids).find((k) => ids[k] === inv.memberId)!;
    ids[key] = inv.memberId;
    numbers[key] = inv.number!;
  }
  // From here on ids[] are invoice ids.
  for (const key of Object.keys(numbers)) {
    ids[key] = (sqlite.prepare("SELECT id FROM invoices WHERE number = ?").get(numbers[key]) as { id: number }).id;
  }
  expect(Object.keys(numbers).sort()).toEqual(["dalsEd", "goteborg", "molndal", "noEmail", "skr"]);
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("sending a run", () => {
  test("with the mail server refusing: every e-mail fails and is logged, print goes to the print batch, Peppol to the outbox", async () => {
    refusing = true;
    const reports = await sendRun(scope, runId, {}, config());
    expect(reports.map((r) => r.number)).toEqual([...reports.map((r) => r.number)].sort()); // number (member) order
    expect(byInvoice(reports, "goteborg")).toMatchObject({ channel: "email", status: "failed" });
    expect(byInvoice(reports, "goteborg").detail).toContain("451");
    expect(byInvoice(reports, "skr")).toMatchObject({ channel: "email", status: "failed" });
    expect(byInvoice(reports, "noEmail")).toMatchObject({ channel: "email", status: "failed" });
    expect(byInvoice(reports, "noEmail").detail).toContain("ingen e-postadress");
    expect(byInvoice(reports, "molndal")).toMatchObject({ channel: "print", status: "sent" });
    expect(byInvoice(reports, "dalsEd")).toMatchObject({ channel: "peppol", status: "sent" });
    expect(byInvoice(reports, "dalsEd").detail).toBe(
      `Peppol till ${rows(ids.dalsEd)[0].recipient}: ${numbers.dalsEd}.xml i utkorgen`,
    );
    expect(received).toHaveLength(0);
    expect(fs.readdirSync(peppolOutbox)).toEqual([`${numbers.dalsEd}.xml`]);
    // The log: one row per attempt, with who sent it and the SMTP error.
    const log = rows(ids.goteborg);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      channel: "email",
      status: "failed",
      recipient: "faktura@1480.example.se",
      sentBy: scope.userId,
    });
    expect(log[0].error).toContain("Tjänsten är tillfälligt otillgänglig");
    const audit = sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'invoice.send'").get() as {
      n: number;
    };
    expect(audit.n).toBe(5);
  });

  test("a retry sends only what failed: the two e-mails arrive with the PDF holding the invoice number", async () => {
    refusing = false;
    const reports = await sendRun(scope, runId, {}, config());
    expect(byInvoice(reports, "molndal")).toMatchObject({ status: "skipped" });
    expect(byInvoice(reports, "goteborg")).toMatchObject({
      status: "sent",
      detail: "E-post till faktura@1480.example.se",
    });
    expect(byInvoice(reports, "skr")).toMatchObject({ status: "sent" });
    expect(byInvoice(reports, "noEmail")).toMatchObject({ status: "failed" });
    expect(received.map((r) => r.to).sort()).toEqual([["ekonomi@skr.example.se"], ["faktura@1480.example.se"]]);

    const goteborg = received.find((r) => r.to[0] === "faktura@1480.example.se")!.mail;
    expect(goteborg.subject).toBe(`Faktura ${numbers.goteborg} från Intresseföreningen för Sambruk`);
    expect(goteborg.from?.value[0]).toMatchObject({
      address: "kansli@sambruk.example.se",
      name: "Intresseföreningen för Sambruk",
    });
    expect(goteborg.text).toContain("Här får ni faktura");
    expect(goteborg.text).toContain("OCR");
    // The PDF (its appendix pages inside it) and the e-invoice stored at issue.
    expect(goteborg.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`faktura-${numbers.goteborg}.pdf`, "application/pdf"],
      [`faktura-${numbers.goteborg}.xml`, "application/xml"],
    ]);
    // The e-invoice as sent: the document stored at issue with the PDFs of the frozen invoice put in.
    const stored = ublOf(ids.goteborg)!;
    expect(stored).toContain("EmbeddedDocumentBinaryObject");
    expect(goteborg.attachments[1].content.toString("utf8")).toBe(stored);
    expect(stored).toContain(`<cbc:ID>${numbers.goteborg}</cbc:ID>`);
    const text = pdfText(goteborg.attachments[0].content);
    expect(text).toContain(String(numbers.goteborg));
    expect(text).toContain("Göteborg");

    const log = rows(ids.goteborg);
    expect(log.map((l) => l.status)).toEqual(["failed", "sent"]);
    expect(log[1].messageId).toBe(goteborg.messageId);
  });

  test("sending the run again sends nothing that went out; resend sends again", async () => {
    const before = received.length;
    const reports = await sendRun(scope, runId, {}, config());
    expect(reports.filter((r) => r.status === "sent")).toEqual([]);
    expect(received.length).toBe(before);
    const again = await sendInvoice(scope, ids.goteborg, { resend: true }, config());
    expect(again.status).toBe("sent");
    expect(received.length).toBe(before + 1);
  });

  test("two sends of the same invoice at once: one goes out, the other is told it is in flight", async () => {
    const before = received.length;
    const [a, b] = await Promise.all([
      sendInvoice(scope, ids.skr, { resend: true }, config()),
      sendInvoice(scope, ids.skr, { resend: true }, config()),
    ]);
    expect([a.status, b.status].sort()).toEqual(["sent", "skipped"]);
    expect([a.detail, b.detail]).toContain("Skickas just nu i en annan begäran");
    expect(received.length).toBe(before + 1);
  });

  test("the print batch is one PDF of the print-channel invoices", async () => {
    const pdf = await printPdfOfRun(scope, runId);
    const text = pdfText(pdf!);
    expect(text).toContain(String(numbers.molndal));
    expect(text).not.toContain(String(numbers.goteborg));
  });

  test("the run summary counts per channel", () => {
    const s = runDeliverySummary(runId);
    expect(s.channels.email).toEqual({ total: 3, sent: 2, failed: 1, sending: 0, unsent: 0 });
    expect(s.channels.print).toEqual({ total: 1, sent: 1, failed: 0, sending: 0, unsent: 0 });
    expect(s.channels.peppol).toEqual({ total: 1, sent: 1, failed: 0, sending: 0, unsent: 0 });
    expect(s.toSend).toEqual({ peppol: 0, email: 1, print: 0 });
    expect(s.missingEmail).toBe(1);
    expect(s.missingUbl).toBe(0);
    expect(s.printed).toBe(1);
  });
});

describe("the Peppol outbox", () => {
  test("the UBL stored at issue is in the outbox as <number>.xml, whole, with no temporary file left", async () => {
    const ubl = ublOf(ids.dalsEd)!;
    expect(ubl).not.toContain("<?binary");
    expect(fs.readdirSync(peppolOutbox)).toEqual([`${numbers.dalsEd}.xml`]);
    expect(fs.readFileSync(path.join(peppolOutbox, `${numbers.dalsEd}.xml`), "utf8")).toBe(ubl);
    expect(rows(ids.dalsEd).at(-1)).toMatchObject({
      status: "sent",
      recipient: expect.stringMatching(/^0007:2120\d{6}$/),
    });
    // A resend writes the same name again, atomically: still one file, no temporary one beside it.
    expect((await sendInvoice(scope, ids.dalsEd, { resend: true }, config())).status).toBe("sent");
    expect(fs.readdirSync(peppolOutbox)).toEqual([`${numbers.dalsEd}.xml`]);
  });

  test("an invoice without a UBL document (issued before the e-invoice existed) fails a Peppol send with its reason", async () => {
    const ubl = (sqlite.prepare("SELECT ubl FROM invoices WHERE id = ?").get(ids.dalsEd) as { ubl: string }).ubl;
    sqlite.prepare("UPDATE invoices SET ubl = NULL WHERE id = ?").run(ids.dalsEd);
    try {
      const report = await sendInvoice(scope, ids.dalsEd, { resend: true }, config());
      expect(report).toMatchObject({ channel: "peppol", status: "failed" });
      expect(report.detail).toContain("saknar e-fakturadokument (Peppol UBL)");
      expect(rows(ids.dalsEd).at(-1)!.error).toContain("saknar e-fakturadokument");
    } finally {
      sqlite.prepare("UPDATE invoices SET ubl = ? WHERE id = ?").run(ubl, ids.dalsEd);
    }
  });

  test("the outbox files pass the official Peppol validation where the rules are on the machine", () => {
    const validator = process.env.PEPPOL_VALIDATE ?? path.resolve(repoRoot, "../shared/peppol/validate");
    if (!fs.existsSync(validator)) {
      console.warn(`Peppol validation SKIPPED: no validator at ${validator} (set PEPPOL_VALIDATE)`);
      return;
    }
    const result = spawnSync(validator, [peppolOutbox], { encoding: "utf8", timeout: 120_000 });
    if (result.status === 2) {
      console.warn(
        `Peppol validation SKIPPED: the validator could not run (are the official rules fetched?):\n${result.stdout}${result.stderr}`,
      );
      return;
    }
    expect(result.status, result.stdout + result.stderr).toBe(0);
    console.log(`Peppol validation of the outbox: ${result.stdout.trim().split("\n").slice(-1)[0]}`);
  }, 150_000);

  test("an outbox that cannot be written is a failed, logged attempt", async () => {
    const blocked = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocked, "a file where the outbox folder should be");
    const report = await sendInvoice(scope, ids.dalsEd, { resend: true }, { ...config(), peppolOutbox: blocked });
    expect(report.status).toBe("failed");
    expect(rows(ids.dalsEd).at(-1)).toMatchObject({ status: "failed" });
  });
});

describe("without SMTP_URL", () => {
  test("the message is written as an .eml file a person can open, with the same attachments", async () => {
    const report = await sendInvoice(scope, ids.skr, { resend: true }, { ...config(), smtpUrl: null });
    expect(report.status).toBe("sent");
    const files = fs.readdirSync(emailOutbox);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^faktura-${numbers.skr}-\\d+\\.eml$`));
    const mail = await simpleParser(fs.readFileSync(path.join(emailOutbox, files[0])));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe("ekonomi@skr.example.se");
    expect(mail.subject).toBe(`Faktura ${numbers.skr} från Intresseföreningen för Sambruk`);
    expect(pdfText(mail.attachments[0].content)).toContain(String(numbers.skr));
    expect(rows(ids.skr).at(-1)!.messageId).toContain(files[0]);
  });
});

describe("reminders", () => {
  test("a Peppol member's reminder goes by e-mail; downloading it again records nothing and shows the same dates", async () => {
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    sqlite.prepare("UPDATE invoices SET due_date = ? WHERE id = ?").run(past, ids.dalsEd);
    const reminder = recordReminder(scope, ids.dalsEd);
    const before = received.length;
    const report = await sendReminder(scope, ids.dalsEd, reminder.id, config());
    expect(report).toMatchObject({ channel: "email", status: "sent" });
    const mail = received[before].mail;
    expect(received[before].to).toEqual(["faktura@1438.example.se"]);
    expect(mail.subject).toBe(`Påminnelse: faktura ${numbers.dalsEd} från Intresseföreningen för Sambruk`);
    expect(mail.attachments.map((a) => a.filename)).toEqual([`paminnelse-${numbers.dalsEd}.pdf`]);
    expect(pdfText(mail.attachments[0].content)).toContain(reminder.newDueDate);

    const count = () =>
      (sqlite.prepare("SELECT count(*) AS n FROM reminders WHERE invoice_id = ?").get(ids.dalsEd) as { n: number }).n;
    const first = await reminderPdf(scope, ids.dalsEd);
    const second = await reminderPdf(scope, ids.dalsEd);
    expect(count()).toBe(1);
    expect(pdfText(first!.bytes)).toContain(reminder.newDueDate);
    expect(pdfText(second!.bytes)).toBe(pdfText(first!.bytes));
    // The same reminder is not sent twice.
    expect((await sendReminder(scope, ids.dalsEd, reminder.id, config())).status).toBe("skipped");
    // And the invoice's own delivery state is untouched by its reminder.
    expect(deliveryStates([ids.dalsEd]).get(ids.dalsEd)).toBe("sent");
  });

  test("a Peppol member without an e-mail address gets its reminder listed for print", async () => {
    sqlite
      .prepare("UPDATE members SET invoice_email = NULL WHERE id = (SELECT member_id FROM invoices WHERE id = ?)")
      .run(ids.dalsEd);
    const reminder = recordReminder(scope, ids.dalsEd);
    const report = await sendReminder(scope, ids.dalsEd, reminder.id, config());
    expect(report).toMatchObject({
      channel: "print",
      status: "sent",
      detail: `För utskrift: /invoices/${ids.dalsEd}/reminder.pdf`,
    });
  });
});
