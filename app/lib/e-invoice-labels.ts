import { defaultPeppolId } from "../../billing/peppol-id";

/*
 * How the member pages show e-invoicing (docs/e-invoice.md): the Peppol id in use, with the default spelt out (a
 * stored null means "the default"). The channel in use is deliveryChannelOf (billing/delivery.ts), its words
 * deliveryChannelDescription (app/lib/i18n.ts).
 */

export function peppolIdShown(
  stored: string | null | undefined,
  orgNumber: string,
): { id: string; isDefault: boolean } {
  return stored ? { id: stored, isDefault: false } : { id: defaultPeppolId(orgNumber), isDefault: true };
}
