/** The Swedish words the UI uses for the domain's codes: one catalogue, so they are the same on every page. */
export const roleLabel = { admin: "Styrelsen (admin)", treasurer: "Kassör", member: "Medlemmens kontaktperson" } as const;
export const kindLabel = { municipality: "Kommun", organisation: "Organisation" } as const;
export const statusLabel = { active: "Aktiv", resigned: "Utträdd" } as const;
/** Short names of the default brackets; other schedules' brackets show their own label. */
export const bracketShort: Record<string, string> = { small: "Liten", medium: "Mellan", large: "Stor" };
export const bracketLabel: Record<string, string> = {
  small: "Liten (< 10 000)",
  medium: "Mellan (10 000–100 000)",
  large: "Stor (> 100 000)",
  override: "Styrelsebeslut",
};
export const chargeKindLabel = { entry_fee: "Medlemsinsats", annual_fee: "Årsavgift", project_share: "Projektandel", project_adjustment: "Justering av projektandel" } as const;
export const allocationKeyLabel = {
  per_capita: "Per invånare",
  equal: "Lika delar",
  fixed: "Fasta andelar (vikter)",
  base_plus_per_capita: "Grundbelopp + per invånare",
} as const;
export const projectStatusLabel = { planned: "Planerat", open: "Öppet", closed: "Avslutat" } as const;
export const invoiceStatusLabel = {
  draft: "Utkast",
  issued: "Skickad",
  partially_paid: "Delbetald",
  paid: "Betald",
  credited: "Krediterad",
} as const;

/** "1 faktura", "3 fakturor", "1 medlem": a count with the Swedish singular or plural, never "1 fakturor". */
export function countOf(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
// Delivery (docs/delivery.md) ------------------------------------------------------------------------------------
export const deliveryChannelLabel = { peppol: "Peppol (e-faktura)", email: "E-post", print: "Utskrift" } as const;
export const deliveryStateLabel = { unsent: "Ej skickad", sending: "Skickas", sent: "Skickad", failed: "Misslyckades" } as const;
export const deliveryOutcomeLabel = { sent: "Skickad", failed: "Misslyckades", skipped: "Hoppades över" } as const;
