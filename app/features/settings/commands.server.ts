import { transaction } from "../../../db/client";
import { writeAudit } from "../../../db/audit";
import { maxInvoiceNumber } from "../../../db/invoices";
import * as settingsDb from "../../../db/settings";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import type { SettingsInput } from "../../lib/billing-schemas";
import type { Settings } from "./queries.server";
import { authorize } from "../../../billing/policy";

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
        nextInvoiceNumber: `Nästa fakturanummer måste vara minst ${lowest} (högsta utfärdade är ${highest})`,
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
