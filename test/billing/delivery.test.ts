import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  deliveryChannelOf,
  deliveryStateOf,
  invoiceEmail,
  outboxFileName,
  peppolIdOf,
  reminderChannelOf,
  reminderEmail,
  sendDecision,
  STALE_ATTEMPT_MS,
  type Attempt,
  type AttemptStatus,
} from "../../billing/delivery";
import {
  sampleCreditNoteDocument,
  sampleInvoiceDocument as sampleInvoice,
  sampleReminderDocument as sampleReminder,
} from "../fixtures/invoice-document";

/* The rules of docs/delivery.md: channels, when an invoice goes out again, and what the messages say. */

const NOW = new Date("2026-03-01T10:00:00Z");
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();

describe("channels", () => {
  test.each([
    ["municipality", null, "peppol"],
    ["organisation", null, "email"],
    ["municipality", "print", "print"],
    ["organisation", "peppol", "peppol"],
    ["municipality", "email", "email"],
  ] as const)("a %s with channel %s gets %s", (kind, deliveryChannel, expected) => {
    expect(deliveryChannelOf({ kind, deliveryChannel })).toBe(expected);
  });

  test.each([
    ["peppol", "a@b.se", "email"],
    ["peppol", null, "print"],
    ["email", "a@b.se", "email"],
    ["email", null, "email"], // fails visibly for want of an address rather than silently going to print
    ["print", "a@b.se", "print"],
  ] as const)("a reminder to a %s member with address %s goes by %s", (channel, address, expected) => {
    expect(reminderChannelOf(channel, address)).toBe(expected);
  });

  test("the default Peppol id is 0007 with the organisation number's digits", () => {
    expect(peppolIdOf({ peppolId: null, orgNumber: "212000-1637" })).toBe("0007:2120001637");
    expect(peppolIdOf({ peppolId: "0088:7300010000001", orgNumber: "212000-1637" })).toBe("0088:7300010000001");
  });

  test("outbox files are named by the invoice number and nothing else", () => {
    expect(outboxFileName("2026001")).toBe("2026001.xml");
    expect(() => outboxFileName("../etc/passwd")).toThrow(RangeError);
    expect(() => outboxFileName("")).toThrow(RangeError);
  });
});

describe("sendDecision", () => {
  test.each<[string, Attempt[], boolean, ReturnType<typeof sendDecision>]>([
    ["never tried", [], false, { send: true }],
    ["failed once", [{ status: "failed", startedAt: at(60_000) }], false, { send: true }],
    ["sent", [{ status: "sent", startedAt: at(60_000) }], false, { send: false, reason: "already_sent" }],
    ["sent, resend asked", [{ status: "sent", startedAt: at(60_000) }], true, { send: true }],
    [
      "sent then failed resend",
      [
        { status: "sent", startedAt: at(120_000) },
        { status: "failed", startedAt: at(60_000) },
      ],
      false,
      { send: false, reason: "already_sent" },
    ],
    ["in flight", [{ status: "sending", startedAt: at(1_000) }], true, { send: false, reason: "in_flight" }],
    ["cut short long ago", [{ status: "sending", startedAt: at(STALE_ATTEMPT_MS) }], false, { send: true }],
  ])("%s", (_label, attempts, resend, expected) => {
    expect(sendDecision(attempts, { resend, now: NOW })).toEqual(expected);
  });

  const status = fc.constantFrom<AttemptStatus>("sending", "sent", "failed");
  const attempts = fc.array(
    fc.record({ status, startedAt: fc.integer({ min: 0, max: 2 * STALE_ATTEMPT_MS }).map(at) }),
    { maxLength: 8 },
  );

  test("property: an invoice sent once never goes out again without resend, and nothing is doubled while in flight", () => {
    fc.assert(
      fc.property(attempts, fc.boolean(), (list, resend) => {
        const d = sendDecision(list, { resend, now: NOW });
        const fresh = list.some(
          (a) => a.status === "sending" && NOW.getTime() - Date.parse(a.startedAt) < STALE_ATTEMPT_MS,
        );
        if (fresh) expect(d.send).toBe(false);
        if (!resend && list.some((a) => a.status === "sent")) expect(d.send).toBe(false);
        // Never refused without one of the two reasons: a failed send can always be retried.
        if (!fresh && (resend || !list.some((a) => a.status === "sent"))) expect(d.send).toBe(true);
      }),
    );
  });

  test("property: after a successful attempt the state is sent, whatever followed", () => {
    fc.assert(
      fc.property(attempts, attempts, (before, after) => {
        const list: Attempt[] = [...before, { status: "sent", startedAt: at(0) }, ...after];
        expect(deliveryStateOf(list)).toBe("sent");
      }),
    );
    expect(deliveryStateOf([])).toBe("unsent");
    expect(deliveryStateOf([{ status: "failed", startedAt: at(0) }])).toBe("failed");
  });
});

describe("messages", () => {
  test("the invoice e-mail names the number, the amount, the due date, bankgiro and OCR, and says ni", () => {
    const doc = sampleInvoice();
    const m = invoiceEmail(doc);
    expect(m.subject).toBe(`Faktura ${doc.number} från ${doc.seller.name}`);
    expect(m.text).toContain("Här får ni faktura");
    expect(m.text).toContain(doc.dueDate);
    expect(m.text).toContain(doc.ocr);
    expect(m.text).toContain(doc.seller.bankgiro);
    expect(m.text).toMatch(/\d kr/);
    expect(m.text).not.toMatch(/\bdu\b|\bdig\b/i);
  });

  test("a credit note's e-mail says there is nothing to pay", () => {
    const doc = sampleCreditNoteDocument();
    const m = invoiceEmail(doc);
    expect(m.subject).toBe(`Kreditfaktura ${doc.number} från ${doc.seller.name}`);
    expect(m.text).toContain("behöver inte betala");
  });

  test("the reminder e-mail gives what is left and the new due date", () => {
    const r = sampleReminder();
    const m = reminderEmail(r);
    expect(m.subject).toBe(`Påminnelse: faktura ${r.invoice.number} från ${r.invoice.seller.name}`);
    expect(m.text).toContain(r.newDueDate);
    expect(m.text).toContain("Kvar att betala");
  });
});
