import { describe, expect, test } from "vitest";
import {
  creditNoteDate,
  earliestPaymentDate,
  resolveIssueDates,
  type IssueDatesContext,
} from "../../billing/issue-dates";

/*
 * The invoice date and due date of an issue (docs/invoices.md#dates): defaults, a date ahead for next year's fees,
 * and the refusals, each with the field it belongs to.
 */
const ctx = (over: Partial<IssueDatesContext> = {}): IssueDatesContext => ({
  today: "2026-12-02",
  paymentTermsDays: 30,
  latest: { number: 2026041, issueDate: "2026-11-20" },
  ...over,
});

describe("resolveIssueDates", () => {
  test("nothing chosen: today and today + the payment terms", () => {
    expect(resolveIssueDates({}, ctx())).toEqual({
      ok: true,
      dates: { issueDate: "2026-12-02", dueDate: "2027-01-01", termsDays: 30 },
    });
    expect(resolveIssueDates({ issueDate: null, dueDate: null }, ctx({ paymentTermsDays: 10 }))).toEqual({
      ok: true,
      dates: { issueDate: "2026-12-02", dueDate: "2026-12-12", termsDays: 10 },
    });
  });

  test("next year's annual fees dated 15 January: the due date follows the chosen invoice date", () => {
    expect(resolveIssueDates({ issueDate: "2027-01-15" }, ctx())).toEqual({
      ok: true,
      dates: { issueDate: "2027-01-15", dueDate: "2027-02-14", termsDays: 30 },
    });
    expect(resolveIssueDates({ issueDate: "2027-01-15", dueDate: "2027-01-31" }, ctx())).toEqual({
      ok: true,
      dates: { issueDate: "2027-01-15", dueDate: "2027-01-31", termsDays: 16 },
    });
  });

  test("a due date only: the invoice is dated today", () => {
    expect(resolveIssueDates({ dueDate: "2026-12-31" }, ctx())).toEqual({
      ok: true,
      dates: { issueDate: "2026-12-02", dueDate: "2026-12-31", termsDays: 29 },
    });
  });

  test("due on the invoice date itself is allowed, the day before is not", () => {
    expect(resolveIssueDates({ issueDate: "2026-12-10", dueDate: "2026-12-10" }, ctx())).toMatchObject({
      ok: true,
      dates: { termsDays: 0 },
    });
    expect(resolveIssueDates({ issueDate: "2026-12-10", dueDate: "2026-12-09" }, ctx())).toEqual({
      ok: false,
      fields: { dueDate: "Förfallodatumet kan inte ligga före fakturadatumet (2026-12-10)" },
    });
  });

  test("an invoice date in the past is refused", () => {
    const r = resolveIssueDates({ issueDate: "2026-12-01" }, ctx());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fields.issueDate).toContain("före i dag (2026-12-02)");
    expect(!r.ok && r.fields.dueDate).toBeUndefined();
  });

  test("dates follow numbers: not before the latest invoice date of the series, which is then the default", () => {
    const ahead = ctx({ latest: { number: 2026077, issueDate: "2027-01-15" } });
    const r = resolveIssueDates({ issueDate: "2026-12-20" }, ahead);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fields.issueDate).toBe(
      "Fakturadatumet kan inte ligga före 2027-01-15: faktura 2026077 har redan det datumet, och fakturanumren ska följa datumen. Välj 2027-01-15 eller senare.",
    );
    expect(resolveIssueDates({ issueDate: "2027-01-15" }, ahead)).toMatchObject({ ok: true });
    expect(resolveIssueDates({}, ahead)).toEqual({
      ok: true,
      dates: { issueDate: "2027-01-15", dueDate: "2027-02-14", termsDays: 30 },
    });
  });

  test("at most a year ahead, at most 120 days to pay", () => {
    expect(resolveIssueDates({ issueDate: "2027-12-02" }, ctx())).toMatchObject({ ok: true });
    const far = resolveIssueDates({ issueDate: "2027-12-03" }, ctx());
    expect(!far.ok && far.fields.issueDate).toBe("Fakturadatumet kan ligga högst ett år fram (senast 2027-12-02)");
    expect(resolveIssueDates({ dueDate: "2027-04-01" }, ctx())).toMatchObject({ ok: true, dates: { termsDays: 120 } });
    const long = resolveIssueDates({ dueDate: "2027-04-02" }, ctx());
    expect(!long.ok && long.fields.dueDate).toBe(
      "Förfallodatumet kan ligga högst 120 dagar efter fakturadatumet (senast 2027-04-01)",
    );
  });

  test("the first issue ever has no latest date to follow", () => {
    expect(resolveIssueDates({ issueDate: "2026-12-02" }, ctx({ latest: null }))).toMatchObject({ ok: true });
  });
});

describe("credit notes and payments around a date ahead", () => {
  test("a credit note is dated today, or the latest date of the series when that is later", () => {
    expect(creditNoteDate("2026-12-02", { number: 1, issueDate: "2026-11-01" })).toBe("2026-12-02");
    expect(creditNoteDate("2026-12-02", { number: 1, issueDate: "2027-01-15" })).toBe("2027-01-15");
    expect(creditNoteDate("2026-12-02", null)).toBe("2026-12-02");
  });

  test("an invoice dated ahead may be paid from the day it was issued", () => {
    expect(earliestPaymentDate("2027-01-15", "2026-12-02")).toBe("2026-12-02");
    expect(earliestPaymentDate("2026-12-02", "2026-12-02")).toBe("2026-12-02");
    expect(earliestPaymentDate("2026-12-02", null)).toBe("2026-12-02");
  });
});
