import type { Settings } from "./queries.server";
import { exemptionTextsOf } from "./queries.server";

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
