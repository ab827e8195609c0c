import type { ExemptionTexts, VatRates } from "../../../billing/invoice";
import type { SellerDetails } from "../../../billing/invoice-document";
import { db, type Db } from "../../../db/client";
import { maxInvoiceNumber } from "../../../db/invoices";
import * as settingsDb from "../../../db/settings";
import { DomainError } from "../../../billing/errors";
import { authorize } from "../../../billing/policy";
import type { Scope } from "../../../db/scope";

/** The association's settings (docs/invoices.md, docs/vat.md) and what invoicing reads of them. */

export type Settings = settingsDb.SettingsRow;

export const DEFAULT_EXEMPTION_TEXT = "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde";

/** The settings, or undefined until the treasurer or the board has filled them in. */
export function getSettings(tx: Db = db()): Settings | undefined {
  return settingsDb.getSettings(tx);
}

/** The settings as the settings page and GET /api/v1/settings show them (`settings.read`). */
export function readSettings(scope: Scope): Settings | undefined {
  authorize(scope, "settings.read");
  return getSettings();
}

/** The lowest number the next invoice may have: one above the highest ever issued. */
export function lowestNextNumber(tx: Db = db()): number {
  return (maxInvoiceNumber(tx) ?? 0) + 1;
}

export function vatRatesOf(s: Settings | undefined): VatRates {
  return {
    entry_fee: (s?.vatRateEntryFee ?? 0) as VatRates["entry_fee"],
    annual_fee: (s?.vatRateAnnualFee ?? 0) as VatRates["annual_fee"],
    project_share: (s?.vatRateProjectShare ?? 0) as VatRates["project_share"],
    // An adjustment corrects a project share, so it bears the share's rate (docs/adjustments.md).
    project_adjustment: (s?.vatRateProjectShare ?? 0) as VatRates["project_share"],
  };
}

export function sellerOf(s: Settings): SellerDetails {
  return {
    name: s.name,
    orgNumber: s.orgNumber,
    vatNumber: s.vatNumber,
    address: { street: s.street, postalCode: s.postalCode, city: s.city },
    email: s.email,
    phone: s.phone,
    bankgiro: s.bankgiro,
    ourReference: s.ourReference,
    footer: s.footer,
    fSkatt: s.fSkatt,
    peppolId: s.peppolId,
  };
}

/** The exemption texts per charge kind (settings.vatExemptionTexts, JSON); unreadable JSON counts as none. */
export function exemptionTextsOf(s: Settings): ExemptionTexts {
  try {
    const parsed: unknown = JSON.parse(s.vatExemptionTexts || "{}");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/** Issuing needs the seller's details on the invoice; until they exist it is refused with a pointer to /settings. */
export function requireSettings(tx: Db): Settings {
  const s = settingsDb.getSettings(tx);
  if (!s) {
    throw new DomainError(
      "conflict",
      "settings_missing",
      "Föreningens uppgifter saknas: fyll i namn, organisationsnummer, bankgiro och fakturanummer under Inställningar (/settings) innan fakturor kan utfärdas.",
    );
  }
  return s;
}
