import { z } from "zod";
import { ACCOUNT_FIELDS, accountClassOf, isAccountNumber, type AccountField } from "../../billing/accounts";
import { isoDate } from "./schemas";

/*
 * The bookkeeping part of the settings ("Bokföring") and the SIE export's period, shared by the pages and /api/v1
 * (docs/sie.md). Messages in Swedish, one per field.
 */

const ACCOUNT_LABEL: Record<AccountField, string> = {
  receivables: "Kundfordringar",
  bank: "Bankkontot",
  vat25: "Momskontot 25 %",
  vat12: "Momskontot 12 %",
  vat6: "Momskontot 6 %",
  entry_fee: "Intäktskontot för medlemsinsats",
  annual_fee: "Intäktskontot för årsavgift",
  project_share: "Intäktskontot för projektandel",
  project_adjustment: "Intäktskontot för projektjustering",
};
const CLASS_WORD = { "1": "tillgångskonto (1xxx)", "2": "skuldkonto (2xxx)", "3": "intäktskonto (3xxx)" } as const;

const account = (field: AccountField) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v),
    z
      .string({ invalid_type_error: `${ACCOUNT_LABEL[field]} ska vara ett kontonummer` })
      .refine(isAccountNumber, `${ACCOUNT_LABEL[field]} ska vara ett kontonummer med fyra siffror (BAS), t.ex. 1510`)
      .refine(
        (s) => s.startsWith(accountClassOf(field)),
        `${ACCOUNT_LABEL[field]} ska vara ett ${CLASS_WORD[accountClassOf(field)]}`,
      )
      .optional(),
  );

/** `accounts` of the settings: any subset of the keys; a key left out or blank is the BAS default. */
export const AccountsSchema = z
  .object(
    Object.fromEntries(ACCOUNT_FIELDS.map((f) => [f, account(f)])) as Record<AccountField, ReturnType<typeof account>>,
    {
      invalid_type_error: "Kontona ska vara ett objekt",
    },
  )
  .strict("Okänt konto")
  .transform(
    (o) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<AccountField, string>>,
  );

export { ACCOUNT_LABEL };

/** GET /exports/sie?from=&to= and the export page: a period of at most ten years, from before to. */
export const SiePeriodSchema = z
  .object({ from: isoDate("Från och med"), to: isoDate("Till och med") })
  .superRefine((p, ctx) => {
    if (p.to < p.from)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["to"],
        message: "Till och med får inte ligga före från och med",
      });
    else if (Number(p.to.slice(0, 4)) - Number(p.from.slice(0, 4)) > 10) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["to"], message: "Perioden får vara högst tio år" });
    }
  });
export type SiePeriod = z.infer<typeof SiePeriodSchema>;
