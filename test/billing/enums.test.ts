import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as enums from "../../billing/enums";
import { isOneOf } from "../../billing/enums";
import * as schema from "../../db/schema";
import * as i18n from "../../app/lib/i18n";
import { orList } from "../../app/lib/schemas";
import { invoiceKindLabel, sv } from "../../billing/pdf-text";
import { AGING_BUCKETS } from "../../billing/receivables";

/*
 * Each closed list of the domain is written once, in billing/enums.ts (docs/architecture.md#each-list-once): the
 * drizzle columns take it as their enum and the Swedish label maps are keyed by it. The typecheck refuses a label
 * map that misses a value; this test proves the columns and the maps really are the lists.
 */
const enumOf = (table: SQLiteTable, column: string) =>
  getTableConfig(table).columns.find((c) => c.name === column)?.enumValues;

describe("the database columns take their values from billing/enums.ts", () => {
  it.each([
    [schema.members, "kind", enums.MEMBER_KINDS],
    [schema.members, "delivery_channel", enums.DELIVERY_CHANNELS],
    [schema.users, "role", enums.ROLES],
    [schema.projects, "status", enums.PROJECT_STATUSES],
    [schema.projects, "allocation_key", enums.ALLOCATION_KEYS],
    [schema.invoices, "kind", enums.INVOICE_KINDS],
    [schema.invoices, "state", enums.INVOICE_STATES],
    [schema.invoiceLines, "charge_kind", enums.CHARGE_KINDS],
    [schema.paymentFiles, "status", enums.UPLOAD_STATUSES],
    [schema.bankPayments, "kind", enums.PAYMENT_ENTRY_KINDS],
    [schema.bankPayments, "match", enums.MATCH_KINDS],
    [schema.unmatchedPayments, "reason", enums.MATCH_KINDS],
    [schema.unmatchedPayments, "status", enums.UNMATCHED_STATUSES],
    [schema.populationImports, "layout", enums.POPULATION_FILE_LAYOUTS],
    [schema.populationImports, "status", enums.UPLOAD_STATUSES],
    [schema.populationImportRows, "status", enums.IMPORT_ROW_STATUSES],
    [schema.deliveries, "channel", enums.DELIVERY_CHANNELS],
    [schema.deliveries, "status", enums.ATTEMPT_STATUSES],
  ] as const)("%#: %s.%s", (table, column, list) => {
    expect(enumOf(table, column)).toEqual([...list]);
  });
});

describe("every label map has a word for each value of its list, and no other", () => {
  it.each([
    ["roleLabel", i18n.roleLabel, enums.ROLES],
    ["kindLabel", i18n.kindLabel, enums.MEMBER_KINDS],
    ["statusLabel", i18n.statusLabel, enums.MEMBER_STATUSES],
    ["chargeKindLabel", i18n.chargeKindLabel, enums.CHARGE_KINDS],
    ["allocationKeyLabel", i18n.allocationKeyLabel, enums.ALLOCATION_KEYS],
    ["projectStatusLabel", i18n.projectStatusLabel, enums.PROJECT_STATUSES],
    ["participationStateLabel", i18n.participationStateLabel, enums.PARTICIPATION_STATES],
    ["invoiceKindLabel", i18n.invoiceKindLabel, enums.INVOICE_KINDS],
    ["invoiceStateLabel", i18n.invoiceStateLabel, enums.INVOICE_STATES],
    ["invoiceStatusLabel", i18n.invoiceStatusLabel, enums.INVOICE_STATUSES],
    ["deliveryChannelLabel", i18n.deliveryChannelLabel, enums.DELIVERY_CHANNELS],
    ["deliveryChannelDescription", i18n.deliveryChannelDescription, enums.DELIVERY_CHANNELS],
    ["deliveryStateLabel", i18n.deliveryStateLabel, enums.DELIVERY_STATES],
    ["deliveryOutcomeLabel", i18n.deliveryOutcomeLabel, enums.DELIVERY_OUTCOMES],
    ["populationLayoutLabel", i18n.populationLayoutLabel, enums.POPULATION_FILE_LAYOUTS],
    ["importRowStatusLabel", i18n.importRowStatusLabel, enums.IMPORT_ROW_STATUSES],
    ["bracketNameLabel", i18n.bracketNameLabel, ["small", "medium", "large"]],
    ["fileStatusLabel", i18n.fileStatusLabel, enums.UPLOAD_STATUSES],
    ["unmatchedStatusLabel", i18n.unmatchedStatusLabel, enums.UNMATCHED_STATUSES],
    ["matchLabel", i18n.matchLabel, enums.MATCH_KINDS],
    ["agingLabel", i18n.agingLabel, AGING_BUCKETS],
    ["sv.keys (PDF)", sv.keys, enums.ALLOCATION_KEYS],
  ] as const)("%s", (_name, labels, list) => {
    expect(Object.keys(labels).sort()).toEqual([...list].sort());
    for (const word of Object.values(labels)) expect(word).toMatch(/\S/);
  });

  it("the pages and the PDF say Faktura and Kreditfaktura with the same words", () => {
    expect(i18n.invoiceKindLabel).toBe(invoiceKindLabel);
    expect([sv.invoice, sv.creditNote]).toEqual(["Faktura", "Kreditfaktura"]);
  });
});

describe("helpers of the lists", () => {
  it("orList names the values for an error message", () => {
    expect(orList(enums.DELIVERY_CHANNELS)).toBe("peppol, email eller print");
    expect(orList(enums.ROLES)).toBe("admin, treasurer eller member");
    expect(orList(["a"])).toBe("a");
    expect(orList([])).toBe("");
  });

  it("isOneOf accepts exactly the list's values", () => {
    expect(isOneOf(enums.MEMBER_KINDS, "municipality")).toBe(true);
    expect(isOneOf(enums.MEMBER_KINDS, "Municipality")).toBe(false);
    expect(isOneOf(enums.MEMBER_KINDS, null)).toBe(false);
    expect(isOneOf(enums.MEMBER_KINDS, ["municipality"])).toBe(false);
  });

  it("the charge kinds split into the member's fees and a project-year's", () => {
    expect([...enums.FEE_CHARGE_KINDS, ...enums.PROJECT_CHARGE_KINDS].sort()).toEqual([...enums.CHARGE_KINDS].sort());
  });
});
