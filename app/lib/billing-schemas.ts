import { z } from "zod";
import { todayIso } from "../../billing/dates";
import { parseBankgiro, parseOrgNumber, parseVatNumber } from "../../billing/identifiers";
import { parsePeppolId } from "../../billing/peppol-id";
import { CHARGE_KINDS, INVOICE_STATUSES } from "../../billing/enums";
import {
  amount,
  email,
  fromParser,
  integer,
  isoDate,
  optionalText,
  orList,
  postalCode,
  text,
  textRule,
  year,
} from "./schemas";
import { AccountsSchema } from "./bookkeeping-schemas";

/*
 * The zod schemas of invoicing, shared by the pages and /api/v1 (docs/invoices.md, docs/api.md#billing-and-invoices): the association's settings,
 * billing runs, draft edits, payments and credit notes. Messages in Swedish, one per field.
 */

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const vatRate = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,3}\s*$/.test(v) ? Number(v) : v),
    z
      .number({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara 0, 6, 12 eller 25 %` })
      .refine((n) => n === 0 || n === 6 || n === 12 || n === 25, `${label} ska vara 0, 6, 12 eller 25 %`),
  ) as unknown as z.ZodType<0 | 6 | 12 | 25>;

export const SettingsSchema = z.object({
  name: text("Föreningens namn", 200),
  orgNumber: fromParser("Organisationsnumret", parseOrgNumber),
  vatNumber: z.preprocess(emptyToNull, fromParser("Momsregistreringsnumret", parseVatNumber).nullable().optional()),
  street: text("Gatuadressen", 200),
  postalCode,
  city: text("Orten", 100),
  email: email("E-postadressen"),
  phone: z.preprocess(
    emptyToNull,
    z
      .string({ invalid_type_error: "Telefonnumret ska vara text" })
      .trim()
      .regex(/^\+?[\d\s-]{5,20}$/, "Telefonnumret får bara innehålla siffror, blanksteg, - och +")
      .nullable()
      .optional(),
  ),
  bankgiro: fromParser("Bankgironumret", parseBankgiro),
  paymentTermsDays: integer("Betalningsvillkoret (dagar)", { min: 1, max: 120 }),
  nextInvoiceNumber: integer("Nästa fakturanummer", { min: 1, max: 999_999_999_999 }),
  ourReference: text("Vår referens", 100),
  vatRateEntryFee: vatRate("Momssatsen för medlemsinsats"),
  vatRateAnnualFee: vatRate("Momssatsen för årsavgift"),
  vatRateProjectShare: vatRate("Momssatsen för projektandel"),
  vatExemptionText: text("Texten om momsfrihet", 300),
  footer: z.preprocess(
    (v) => (v === undefined || v === null ? "" : v),
    textRule(
      z.string({ invalid_type_error: "Sidfoten ska vara text" }).trim().max(500, "Sidfoten får vara högst 500 tecken"),
      "Sidfoten",
      { multiline: true },
    ),
  ),
  // Bookkeeping (SIE export): left out means the BAS defaults.
  accounts: AccountsSchema.optional(),
  // E-invoicing (docs/e-invoice.md) ----------------------------------------------------------------------------
  fSkatt: z.preprocess(
    (v) =>
      v === undefined || v === null || v === "" ? false : v === "on" || v === "true" ? true : v === "false" ? false : v,
    z.boolean({ invalid_type_error: "F-skatt ska vara true eller false" }),
  ),
  peppolId: z.preprocess(emptyToNull, fromParser("Föreningens Peppol-id", parsePeppolId).nullable().optional()),
  vatExemptionTexts: z.preprocess(
    (v) => (v === undefined || v === null ? {} : v),
    z.object(
      {
        entry_fee: z.preprocess(emptyToNull, text("Momstexten för medlemsinsats", 300).nullable().optional()),
        annual_fee: z.preprocess(emptyToNull, text("Momstexten för årsavgift", 300).nullable().optional()),
        project_share: z.preprocess(emptyToNull, text("Momstexten för projektandel", 300).nullable().optional()),
        project_adjustment: z.preprocess(
          emptyToNull,
          text("Momstexten för projektjustering", 300).nullable().optional(),
        ),
      },
      { invalid_type_error: "Momstexterna ska vara ett objekt med en text per avgiftsslag" },
    ),
  ),
});
export type SettingsInput = z.infer<typeof SettingsSchema>;

export const chargeKind = z.enum(CHARGE_KINDS, {
  errorMap: () => ({ message: `Avgiftsslaget ska vara ett av ${CHARGE_KINDS.join(", ")}` }),
});

export const BillingRunSchema = z.object({
  year: year("Året"),
  charges: z
    .array(chargeKind, {
      required_error: "Välj minst ett avgiftsslag",
      invalid_type_error: "Avgiftsslagen ska vara en lista",
    })
    .min(1, "Välj minst ett avgiftsslag")
    .transform((kinds) => CHARGE_KINDS.filter((k) => kinds.includes(k))),
});
export type BillingRunInput = z.infer<typeof BillingRunSchema>;

/**
 * The dates of an issue (a run's drafts or one draft), both optional: left out, the invoice date is today and the
 * due date the invoice date plus the payment terms. The rules that need today and the series (not in the past,
 * not before the latest invoice date, due date on or after the invoice date) are billing/issue-dates.ts.
 */
export const IssueDatesSchema = z.object({
  issueDate: z.preprocess(emptyToNull, isoDate("Fakturadatumet").nullable().optional()),
  dueDate: z.preprocess(emptyToNull, isoDate("Förfallodatumet").nullable().optional()),
});
export type IssueDatesInput = z.infer<typeof IssueDatesSchema>;

export const DraftLineSchema = z.object({
  description: text("Beskrivningen", 300),
  amount: amount("Beloppet"),
});

export const PaymentSchema = z.object({
  amount: amount("Beloppet", { allowZero: false }),
  paidOn: isoDate("Betalningsdagen").refine((d) => d <= todayIso(), "Betalningsdagen kan inte ligga i framtiden"),
  note: optionalText("Anteckningen", 200),
});
export type PaymentInput = z.infer<typeof PaymentSchema>;

export const CreditSchema = z.object({ reason: text("Skälet", 500) });

export const invoiceStatus = z.enum(INVOICE_STATUSES, {
  errorMap: () => ({ message: `Status ska vara ${orList(INVOICE_STATUSES)}` }),
});

const positiveId = (label: string) => integer(label, { min: 1 });

/** GET /invoices and the list page: ?year=&memberId=&status=&overdue=1. */
export const InvoiceQuerySchema = z.object({
  year: z.preprocess(emptyToNull, year("Året").nullable().optional()),
  memberId: z.preprocess(emptyToNull, positiveId("Medlemmen").nullable().optional()),
  status: z.preprocess(emptyToNull, invoiceStatus.nullable().optional()),
  overdue: z.preprocess((v) => v === "1" || v === "true" || v === true, z.boolean()).optional(),
});
export type InvoiceQuery = z.infer<typeof InvoiceQuerySchema>;
