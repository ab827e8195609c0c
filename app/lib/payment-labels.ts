import type { MatchKind, UnmatchedStatus, UploadStatus } from "../../billing/enums";

/* Swedish words of the bank-payment pages, in one place (docs/bgmax.md). */

export const matchLabel: Record<MatchKind, string> = {
  exact: "Stämmer",
  partial: "Delbetalning",
  over: "Mer än saldot",
  closed: "Fakturan är stängd",
  unknown: "Okänd referens",
};

export const matchBadge: Record<MatchKind, string> = {
  exact: "badge-ok",
  partial: "badge-warn",
  over: "badge-warn",
  closed: "badge-bad",
  unknown: "badge-bad",
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

export const agingLabel = {
  notDue: "Ej förfallet",
  d1_30: "1–30 dagar",
  d31_60: "31–60 dagar",
  d61_90: "61–90 dagar",
  over90: "Över 90 dagar",
} as const;
