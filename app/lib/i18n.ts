import type {
  AllocationKey,
  ChargeKind,
  DeliveryChannel,
  DeliveryOutcome,
  DeliveryState,
  ImportRowStatus,
  InvoiceState,
  InvoiceStatus,
  MatchKind,
  MemberKind,
  MemberStatus,
  ParticipationState,
  PopulationFileLayout,
  ProjectStatus,
  Role,
  UnmatchedStatus,
  UploadStatus,
} from "../../billing/enums";
import type { AgingBucket } from "../../billing/receivables";
import { bracketRangeText, OVERRIDE_BRACKET, type BracketRange, type DefaultBracketName } from "../../billing/fees";

/*
 * The Swedish words the UI uses for the domain's codes: one catalogue, so they are the same on every page. Each
 * label map is a Record over a list of billing/enums.ts, so a value added there without its label here fails the
 * typecheck. Printed documents take their words from billing/pdf-text.ts (billing/ may not import app/).
 */
export const roleLabel: Record<Role, string> = {
  admin: "Styrelsen (admin)",
  treasurer: "Kassör",
  member: "Medlemmens kontaktperson",
};
export const kindLabel: Record<MemberKind, string> = { municipality: "Kommun", organisation: "Organisation" };
export const kindPluralLabel: Record<MemberKind, string> = { municipality: "Kommuner", organisation: "Organisationer" };
export const statusLabel: Record<MemberStatus, string> = { active: "Aktiv", resigned: "Utträdd" };
export const statusPluralLabel: Record<MemberStatus, string> = { active: "Aktiva", resigned: "Utträdda" };

// Brackets (docs/fees.md#bracket-texts) ---------------------------------------------------------------------------
// A bracket's boundaries are never written here: they come from the schedule in force for the year shown.
export { bracketRangeText };
/** Short Swedish names of the default schedule's bracket names; a bracket named otherwise shows its label. */
export const bracketNameLabel: Record<DefaultBracketName, string> = { small: "Liten", medium: "Mellan", large: "Stor" };
/** What stands for the bracket when a board decision sets both fees and no population chose one. */
export const overrideBracketLabel = "Styrelsebeslut";
/** The group of such members on the fee page. */
export const overrideGroupLabel = "Styrelsebeslut utan invånarantal";
/** "Styrelsebeslut: befriad 2026": a board decision beside the fee it sets, worded as the invoice prints it. */
export { overrideText } from "../../billing/pdf-text";

/** "Mellan"; a bracket of a later schedule with another name: its label, else its name. */
export function bracketName(name: string, label?: string | null): string {
  if (name === OVERRIDE_BRACKET) return overrideBracketLabel;
  return (bracketNameLabel as Record<string, string>)[name] ?? (label || name);
}

/** "Mellan (10 000–100 000 invånare)", with the boundaries of the schedule in force; "Styrelsebeslut". */
export function bracketText(name: string, range: BracketRange | null | undefined, label?: string | null): string {
  const short = bracketName(name, label);
  return range && name !== OVERRIDE_BRACKET ? `${short} (${bracketRangeText(range)})` : short;
}
export const chargeKindLabel: Record<ChargeKind, string> = {
  entry_fee: "Medlemsinsats",
  annual_fee: "Årsavgift",
  project_share: "Projektandel",
  project_adjustment: "Justering av projektandel",
};
export const allocationKeyLabel: Record<AllocationKey, string> = {
  per_capita: "Per invånare",
  equal: "Lika delar",
  fixed: "Fasta andelar (vikter)",
  base_plus_per_capita: "Grundbelopp + per invånare",
};
export const participationStateLabel: Record<ParticipationState, string> = {
  upcoming: "Börjar",
  active: "Deltar",
  leaving: "Slutar",
  ended: "Avslutat",
};
export const projectStatusLabel: Record<ProjectStatus, string> = {
  planned: "Planerat",
  open: "Öppet",
  closed: "Avslutat",
};
/** "Faktura", "Kreditfaktura": the words the PDF prints too, so they live in billing/pdf-text.ts. */
export { invoiceKindLabel } from "../../billing/pdf-text";
export const invoiceStatusLabel: Record<InvoiceStatus, string> = {
  draft: "Utkast",
  issued: "Utfärdad",
  partially_paid: "Delbetald",
  paid: "Betald",
  credited: "Krediterad",
};
/** The stored state of an invoice, as the audit log shows a change of it. */
export const invoiceStateLabel: Record<InvoiceState, string> = {
  draft: "Utkast",
  issued: "Utfärdad",
  credited: "Krediterad",
};

/** "1 faktura", "3 fakturor", "1 medlem": a count with the Swedish singular or plural, never "1 fakturor". */
export function countOf(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
// Delivery (docs/delivery.md) ------------------------------------------------------------------------------------
export const deliveryChannelLabel: Record<DeliveryChannel, string> = {
  peppol: "Peppol (e-faktura)",
  email: "E-post",
  print: "Utskrift",
};
/** The channel as the member page explains it (docs/e-invoice.md). */
export const deliveryChannelDescription: Record<DeliveryChannel, string> = {
  peppol: "E-faktura via Peppol",
  email: "E-post (PDF och e-faktura som bilagor)",
  print: "Papper (utskrift)",
};
export const deliveryStateLabel: Record<DeliveryState, string> = {
  unsent: "Ej skickad",
  sending: "Skickas",
  sent: "Skickad",
  failed: "Misslyckades",
};
export const deliveryOutcomeLabel: Record<DeliveryOutcome, string> = {
  sent: "Skickad",
  failed: "Misslyckades",
  skipped: "Hoppades över",
};

// Bank payments (docs/bgmax.md) and receivables (docs/receivables.md) ------------------------------------------------
export const matchLabel: Record<MatchKind, string> = {
  exact: "Stämmer",
  partial: "Delbetalning",
  over: "Mer än saldot",
  closed: "Fakturan är stängd",
  unknown: "Okänd referens",
};
export const fileStatusLabel: Record<UploadStatus, string> = {
  preview: "Förhandsgranskad, inte inläst",
  applied: "Inläst",
};
export const unmatchedStatusLabel: Record<UnmatchedStatus, string> = {
  open: "Att hantera",
  assigned: "Lagd på faktura",
  refunded: "Återbetald / hanterad",
};
export const agingLabel: Record<AgingBucket, string> = {
  notDue: "Ej förfallet",
  d1_30: "1–30 dagar",
  d31_60: "31–60 dagar",
  d61_90: "61–90 dagar",
  over90: "Över 90 dagar",
};

// Population files (docs/scb-import.md) ---------------------------------------------------------------------------
export const populationLayoutLabel: Record<PopulationFileLayout, string> = {
  scb_table: "SCB:s tabell",
  pxweb: "SCB:s statistikdatabas (PxWeb)",
  simple: "code,name,county,population",
};
/** What a previewed row does; a row that adds a member's first figure for the year says "Ny" instead. */
export const importRowStatusLabel: Record<ImportRowStatus, string> = {
  update: "Ändras",
  unchanged: "Oförändrad",
  not_member: "Inte medlem",
  error: "Fel",
};

// The audit log in words (app/lib/audit-format.ts) ---------------------------------------------------------------
/** What was done, by action code; an unknown code is shown as it is (docs/ui.md). */
export const auditActionLabel: Record<string, string> = {
  "member.create": "Lade till medlem",
  "member.update": "Ändrade medlem",
  "population.set": "Registrerade invånarantal",
  "population.correct": "Rättade invånarantal",
  "population.delete": "Tog bort invånarantal",
  "fee_override.create": "Beslutade avvikande årsavgift",
  "fee_override.delete": "Tog bort avvikande årsavgift",
  "fee_schedule.create": "Lade till avgiftsmodell",
  "project.create": "Lade till projekt",
  "project.update": "Ändrade projekt",
  "project_budget.set": "Satte projektbudget",
  "project_budget.update": "Ändrade projektbudget",
  "project_participant.join": "Anslöt deltagare till projekt",
  "project_participant.leave": "Deltagare lämnade projekt",
  "project_participant.update": "Ändrade projektdeltagande",
  "project_participant.withdraw": "Drog tillbaka projektdeltagande",
  "project_participant.remove": "Tog bort projektdeltagare",
  "billing_run.create": "Skapade faktureringskörning",
  "billing_run.issue": "Utfärdade faktureringskörning",
  "invoice.issue": "Utfärdade faktura",
  "invoice.credit": "Krediterade faktura",
  "invoice.delete": "Tog bort fakturautkast",
  "invoice_line.update": "Ändrade fakturarad",
  "invoice_line.delete": "Tog bort fakturarad",
  "payment.create": "Registrerade betalning",
  "reminder.create": "Skickade påminnelse",
  "settings.update": "Ändrade inställningar",
  "user.create": "Lade till användare",
  "user.update": "Ändrade användare",
  "user.password": "Bytte lösenord",
  "invoice.send": "Skickade faktura",
  "reminder.send": "Skickade påminnelse",
  "fee_schedule.update": "Ändrade avgiftsmodell",
  "fee_schedule.delete": "Tog bort avgiftsmodell",
  "project_budget.outcome": "Registrerade projektets utfall",
  "payment_file.upload": "Läste in bankfil (BgMax)",
  "payment_file.apply": "Bokförde betalningar från bankfil",
  "unmatched_payment.create": "Sparade ej matchad betalning",
  "unmatched_payment.assign": "Placerade ej matchad betalning på faktura",
  "unmatched_payment.refund": "Markerade ej matchad betalning som återbetald",
  "population_import.apply": "Importerade invånarantal från SCB",
};
/** What an audited thing is (the log's "Typ" filter and the entity beside each action). */
export const auditEntityLabel: Record<string, string> = {
  member: "Medlem",
  population: "Invånarantal",
  fee_schedule: "Avgiftsmodell",
  user: "Användare",
  project: "Projekt",
  project_budget: "Projektbudget",
  project_participant: "Projektdeltagare",
  billing_run: "Faktureringskörning",
  invoice: "Faktura",
  settings: "Inställningar",
  payment_file: "Bankfil (BgMax)",
  unmatched_payment: "Ej matchad betalning",
  population_import: "Import av invånarantal",
};
/** Field names of the audited rows in Swedish; an unknown field is shown by its name. */
export const auditFieldLabel: Record<string, string> = {
  name: "Namn",
  kind: "Typ",
  municipalityCode: "Kommunkod",
  orgNumber: "Org.nr",
  vatNumber: "Momsregistreringsnr",
  street: "Gatuadress",
  postalCode: "Postnummer",
  city: "Ort",
  email: "E-post",
  phone: "Telefon",
  contactName: "Kontaktperson",
  contactEmail: "Kontaktpersonens e-post",
  contactPhone: "Kontaktpersonens telefon",
  invoiceEmail: "Fakturamejl",
  reference: "Referens",
  joinedOn: "Medlem från",
  resignedOn: "Utträde",
  leftOn: "Lämnade",
  peppolId: "Peppol-id",
  deliveryChannel: "Leveranssätt",
  year: "År",
  population: "Invånarantal",
  note: "Anteckning",
  annualFeeOre: "Årsavgift",
  entryFeeOre: "Medlemsinsats",
  amountOre: "Belopp",
  totalOre: "Totalt",
  netOre: "Netto",
  vatOre: "Moms",
  unitPriceOre: "À-pris",
  quantity: "Antal",
  description: "Beskrivning",
  vatRate: "Momssats",
  chargeKind: "Avgiftsslag",
  chargeKinds: "Avgiftsslag",
  chargeKey: "Avgiftsnyckel",
  code: "Kod",
  status: "Status",
  state: "Status",
  allocationKey: "Fördelningsnyckel",
  basePercent: "Grundandel (%)",
  weight: "Vikt",
  label: "Benämning",
  minPopulation: "Från invånarantal",
  validFrom: "Gäller från",
  validTo: "Gäller till",
  memberId: "Medlem",
  projectId: "Projekt",
  invoiceId: "Faktura",
  runId: "Körning",
  number: "Fakturanummer",
  ocr: "OCR",
  issueDate: "Fakturadatum",
  dueDate: "Förfallodatum",
  newDueDate: "Ny förfallodag",
  sentOn: "Skickad",
  paidOn: "Betaldag",
  creditReason: "Orsak till kredit",
  creditedInvoiceId: "Krediterar faktura",
  role: "Roll",
  active: "Aktiv",
  bankgiro: "Bankgiro",
  paymentTermsDays: "Betalningsvillkor (dagar)",
  nextInvoiceNumber: "Nästa fakturanummer",
  ourReference: "Vår referens",
  footer: "Sidfot",
  fSkatt: "F-skatt",
  vatRateEntryFee: "Momssats medlemsinsats",
  vatRateAnnualFee: "Momssats årsavgift",
  vatRateProjectShare: "Momssats projektandel",
  vatExemptionText: "Text om momsfrihet",
  vatExemptionTexts: "Texter om momsfrihet",
  accounts: "Konton",
  invoices: "Fakturor",
  lines: "Rader",
  problems: "Problem",
  createdAt: "Skapad",
  issuedAt: "Utfärdad",
  scheduleId: "Avgiftsmodell",
};
