import { defaultPeppolId } from "../../billing/peppol-id";

/*
 * How the member pages show e-invoicing (docs/e-invoice.md): the channel in Swedish and the Peppol id in use,
 * with the defaults spelt out (a stored null means "the default").
 */

export const DELIVERY_CHANNEL_LABELS: Record<string, string> = {
  peppol: "E-faktura via Peppol",
  email: "E-post (PDF och e-faktura som bilagor)",
  print: "Papper (utskrift)",
};

export function effectiveDeliveryChannel(
  kind: string,
  stored: string | null | undefined,
): "peppol" | "email" | "print" {
  if (stored === "peppol" || stored === "email" || stored === "print") return stored;
  return kind === "municipality" ? "peppol" : "email";
}

export function peppolIdShown(
  stored: string | null | undefined,
  orgNumber: string,
): { id: string; isDefault: boolean } {
  return stored ? { id: stored, isDefault: false } : { id: defaultPeppolId(orgNumber), isDefault: true };
}
