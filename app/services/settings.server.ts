import type { ExemptionTexts, VatRates } from "../../billing/invoice";
import type { SellerDetails } from "../../billing/invoice-document";
import { db, transaction, type Db } from "../../db/client";
import { writeAudit } from "../../db/audit";
import { maxInvoiceNumber } from "../../db/invoices";
import * as settingsDb from "../../db/settings";
import type { Scope } from "../../db/scope";
import { DomainError } from "../../billing/errors";
import { authorize } from "../../billing/policy";
import type { SettingsInput } from "../lib/billing-schemas";

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

/**
 * Saves the association's details. The next invoice number may only move up, and never to a number already
 * used: the series stays unique, and lowering it once something is issued would reuse or reorder numbers.
 */
/** What a save takes: the e-invoicing fields may be left out by callers that predate them (they keep the defaults). */
export type SettingsSave = Omit<SettingsInput, "fSkatt" | "vatExemptionTexts"> &
  Partial<Pick<SettingsInput, "fSkatt" | "vatExemptionTexts">>;

export function saveSettings(scope: Scope, input: SettingsSave): Settings {
  authorize(scope, "settings.update");
  return transaction((tx) => {
    const before = settingsDb.getSettings(tx);
    const highest = maxInvoiceNumber(tx);
    const lowest = (highest ?? 0) + 1;
    if (input.nextInvoiceNumber < lowest) {
      throw new DomainError("validation", "validation_failed", "Nästa fakturanummer är redan använt", {
        nextInvoiceNumber: `Nästa fakturanummer måste vara minst ${lowest} (högsta utställda är ${highest})`,
      });
    }
    if (before && highest !== null && input.nextInvoiceNumber < before.nextInvoiceNumber) {
      throw new DomainError("validation", "validation_failed", "Nästa fakturanummer får bara höjas", {
        nextInvoiceNumber: `Nästa fakturanummer får bara höjas (nu ${before.nextInvoiceNumber})`,
      });
    }
    eInvoiceRules(input);
    const after = settingsDb.saveSettings(tx, {
      name: input.name,
      orgNumber: input.orgNumber,
      vatNumber: input.vatNumber ?? null,
      street: input.street,
      postalCode: input.postalCode,
      city: input.city,
      email: input.email,
      phone: input.phone ?? null,
      bankgiro: input.bankgiro,
      paymentTermsDays: input.paymentTermsDays,
      nextInvoiceNumber: input.nextInvoiceNumber,
      ourReference: input.ourReference,
      vatRateEntryFee: input.vatRateEntryFee,
      vatRateAnnualFee: input.vatRateAnnualFee,
      vatRateProjectShare: input.vatRateProjectShare,
      vatExemptionText: input.vatExemptionText,
      footer: input.footer,
      // Bookkeeping accounts (docs/sie.md): only those chosen; the rest are the BAS defaults when read.
      accounts: JSON.stringify(input.accounts ?? {}),
      fSkatt: input.fSkatt ?? false,
      peppolId: input.peppolId ?? null,
      vatExemptionTexts: JSON.stringify(
        Object.fromEntries(
          Object.entries(input.vatExemptionTexts ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
        ),
      ),
    });
    writeAudit(tx, scope, {
      action: "settings.update",
      entity: "settings",
      entityId: 1,
      before: before ?? null,
      after,
    });
    return after;
  });
}

/**
 * Rules across fields that an e-invoice needs (docs/e-invoice.md): taxed lines (category S) need the seller's VAT
 * number (BR-S-02), and the VAT number is the association's own organisation number with SE and 01.
 */
function eInvoiceRules(input: SettingsSave): void {
  const fields: Record<string, string> = {};
  const taxed = [input.vatRateEntryFee, input.vatRateAnnualFee, input.vatRateProjectShare].some((r) => r !== 0);
  if (taxed && !input.vatNumber) {
    fields.vatNumber = "Momsregistreringsnummer krävs när någon avgift har moms: en faktura med moms måste visa det";
  }
  if (input.vatNumber && input.vatNumber.slice(2, 12) !== input.orgNumber.replace("-", "")) {
    fields.vatNumber = "Momsregistreringsnumret ska vara SE, föreningens organisationsnummer och 01";
  }
  if (Object.keys(fields).length > 0)
    throw new DomainError("validation", "validation_failed", "Uppgifterna är inte giltiga", fields);
}

/** The settings as GET/PUT /api/v1/settings show them: the page's field names, amounts of days and numbers as numbers. */
export function settingsJson(s: Settings) {
  return {
    name: s.name,
    orgNumber: s.orgNumber,
    vatNumber: s.vatNumber,
    fSkatt: s.fSkatt,
    street: s.street,
    postalCode: s.postalCode,
    city: s.city,
    email: s.email,
    phone: s.phone,
    bankgiro: s.bankgiro,
    paymentTermsDays: s.paymentTermsDays,
    nextInvoiceNumber: s.nextInvoiceNumber,
    ourReference: s.ourReference,
    vatRateEntryFee: s.vatRateEntryFee,
    vatRateAnnualFee: s.vatRateAnnualFee,
    vatRateProjectShare: s.vatRateProjectShare,
    vatExemptionText: s.vatExemptionText,
    vatExemptionTexts: exemptionTextsOf(s),
    footer: s.footer,
    peppolId: s.peppolId,
  };
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
      "Föreningens uppgifter saknas: fyll i namn, organisationsnummer, bankgiro och fakturanummer under Inställningar (/settings) innan fakturor kan skickas.",
    );
  }
  return s;
}
