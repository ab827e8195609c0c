/*
 * The bookkeeping accounts of the SIE export (docs/sie.md): which BAS account each use books to, the defaults,
 * and the flat shape the settings store. Apart from billing/sie.ts so the settings page can use it in the
 * browser without the CP437 encoder.
 */
import { CHARGE_KINDS, type ChargeKind } from "./enums";

/** The charge kinds that have a revenue account: all of them; project_adjustment corrects a project share. */
export const SIE_CHARGE_KINDS = CHARGE_KINDS;
export type SieChargeKind = ChargeKind;
export const SIE_VAT_RATES = [25, 12, 6] as const;
export type SieVatRate = (typeof SIE_VAT_RATES)[number];

export interface SieAccounts {
  receivables: string;
  bank: string;
  vat: Record<SieVatRate, string>;
  revenue: Record<SieChargeKind, string>;
}

/** BAS defaults (docs/decisions/015-sie-accounts.md); the association may choose others in the settings. */
export const BAS_ACCOUNTS: SieAccounts = {
  receivables: "1510",
  bank: "1930",
  vat: { 25: "2611", 12: "2621", 6: "2631" },
  revenue: { entry_fee: "3011", annual_fee: "3010", project_share: "3020", project_adjustment: "3021" },
};

/** The name written on #KONTO for an account by what it is used for (the first use wins when two share one). */
export const ACCOUNT_NAMES = {
  receivables: "Kundfordringar",
  bank: "Företagskonto",
  vat: { 25: "Utgående moms 25 %", 12: "Utgående moms 12 %", 6: "Utgående moms 6 %" },
  revenue: {
    entry_fee: "Medlemsinsatser",
    annual_fee: "Medlemsavgifter",
    project_share: "Projektandelar",
    project_adjustment: "Projektjusteringar",
  },
} as const;

/** An account number as BAS writes them: four digits, the first 1–8. */
export function isAccountNumber(s: string): boolean {
  return /^[1-8]\d{3}$/.test(s);
}

/**
 * The accounts as the settings hold them (JSON, and the API's `accounts`): one flat key per use, so the settings
 * form has one input per key. Absent keys mean the BAS default.
 */
export const ACCOUNT_FIELDS = ["receivables", "bank", "vat25", "vat12", "vat6", ...SIE_CHARGE_KINDS] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];
export type AccountSettings = Record<AccountField, string>;

/** The BAS account class each use must be in: assets (1), liabilities (2), revenue (3). */
export function accountClassOf(field: AccountField): "1" | "2" | "3" {
  if (field === "receivables" || field === "bank") return "1";
  if (field.startsWith("vat")) return "2";
  return "3";
}

export function accountSettingsOf(a: SieAccounts): AccountSettings {
  return { receivables: a.receivables, bank: a.bank, vat25: a.vat[25], vat12: a.vat[12], vat6: a.vat[6], ...a.revenue };
}

/** Stored settings JSON (partial, possibly {}) over the BAS defaults; a key that is not an account is ignored. */
export function accountsFrom(stored: unknown): SieAccounts {
  const o = (typeof stored === "object" && stored !== null ? stored : {}) as Record<string, unknown>;
  const defaults = accountSettingsOf(BAS_ACCOUNTS);
  const v = Object.fromEntries(
    ACCOUNT_FIELDS.map((f) => [
      f,
      typeof o[f] === "string" && isAccountNumber(o[f] as string) ? (o[f] as string) : defaults[f],
    ]),
  ) as AccountSettings;
  return {
    receivables: v.receivables,
    bank: v.bank,
    vat: { 25: v.vat25, 12: v.vat12, 6: v.vat6 },
    revenue: {
      entry_fee: v.entry_fee,
      annual_fee: v.annual_fee,
      project_share: v.project_share,
      project_adjustment: v.project_adjustment,
    },
  };
}
