import { formatInteger, formatSek } from "../../billing/money";
import {
  allocationKeyLabel,
  auditFieldLabel,
  chargeKindLabel,
  invoiceKindLabel,
  invoiceStateLabel,
  invoiceStatusLabel,
  kindLabel,
  projectStatusLabel,
  roleLabel,
  statusLabel,
} from "./i18n";

/**
 * The audit log for a reader who is not an engineer: when in Swedish time, and what changed as field names in
 * Swedish with before → after in the app's own formats (kronor, dates, yes/no). The stored rows stay JSON, as
 * written; this is only how they read (docs/ui.md).
 */

const STOCKHOLM_MINUTE = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** A stored UTC timestamp in Swedish time to the minute: "2026-12-01T13:05:09.123Z" → "2026-12-01 14:05". */
export function formatStockholmTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = STOCKHOLM_MINUTE.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

export interface Change {
  field: string;
  before: string | null; // null: the field did not exist before (a creation)
  after: string | null; // null: the field is gone (a deletion)
}

/** Fields that are secrets, internal bookkeeping or whole documents: never shown. */
const HIDDEN = new Set([
  "id",
  "passwordHash",
  "tokenHash",
  "idHash",
  "hash",
  "document",
  "ubl",
  "appendix",
  "updatedAt",
  "createdBy",
  "actorUserId",
]);
const MAX_TEXT = 200;

/** Codes the pages show in words, by the field that holds them. */
const VALUE_WORDS: Record<string, Record<string, string>> = {
  role: roleLabel,
  chargeKind: { ...chargeKindLabel, project_adjustment: "Projektjustering" },
  chargeKinds: { ...chargeKindLabel, project_adjustment: "Projektjustering" },
  allocationKey: allocationKeyLabel,
  status: { ...projectStatusLabel, ...invoiceStatusLabel, ...statusLabel },
  state: invoiceStateLabel,
  kind: { ...kindLabel, ...invoiceKindLabel },
  deliveryChannel: { peppol: "Peppol", email: "E-post", print: "Utskrift" },
};

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function fieldLabel(key: string): string {
  return auditFieldLabel[key] ?? key;
}

/** One stored value in words. Amounts are the fields ending in `Ore` (integer öre). */
export function formatAuditValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "boolean") return value ? "ja" : "nej";
  if (typeof value === "number") {
    if (key.endsWith("Ore") && Number.isSafeInteger(value)) return formatSek(value);
    if (Number.isSafeInteger(value) && (key === "population" || key === "minPopulation")) return formatInteger(value);
    return String(value).replace(".", ",");
  }
  if (typeof value === "string") {
    const word = VALUE_WORDS[key]?.[value];
    if (word) return word;
    if (ISO_TIMESTAMP.test(value)) return formatStockholmTime(value);
    // Settings keep some fields as JSON text (accounts, VAT texts per kind): read them, don't print the JSON.
    if (/^[[{]/.test(value)) {
      const inner = parse(value);
      if (typeof inner === "object" && inner !== null) return formatAuditValue(key, inner);
    }
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object"))
      return value.map((v) => formatAuditValue(key, v)).join(", ") || "–";
    return value.length === 1 ? "1 rad" : `${value.length} rader`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== "",
    );
    if (entries.length === 0) return "–";
    return entries
      .map(([k, v]) => `${auditFieldLabel[k] ?? VALUE_WORDS.chargeKind[k] ?? k}: ${formatAuditValue(k, v)}`)
      .join("; ");
  }
  return String(value);
}

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What an audit row changed, field by field: for an update only the fields whose value differs; for a creation
 * every field it was created with (before null); for a deletion every field it had (after null). Empty values of
 * a creation or deletion are left out, as are hidden fields.
 */
export function describeChanges(beforeText: string | null, afterText: string | null): Change[] {
  const before = parse(beforeText);
  const after = parse(afterText);
  if (!isRecord(before) && !isRecord(after)) {
    if (before === undefined && after === undefined) return [];
    return [
      {
        field: "Värde",
        before: before === undefined ? null : formatAuditValue("", before),
        after: after === undefined ? null : formatAuditValue("", after),
      },
    ];
  }
  const b = isRecord(before) ? before : undefined;
  const a = isRecord(after) ? after : undefined;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => !HIDDEN.has(k));
  const changes: Change[] = [];
  for (const key of keys) {
    const bv = b?.[key];
    const av = a?.[key];
    if (b && a) {
      if (same(bv, av)) continue;
      // createdAt and the like restate when, which the row already says.
      changes.push({ field: fieldLabel(key), before: formatAuditValue(key, bv), after: formatAuditValue(key, av) });
    } else if (a) {
      if (av === null || av === undefined || av === "" || key === "createdAt") continue;
      changes.push({ field: fieldLabel(key), before: null, after: formatAuditValue(key, av) });
    } else {
      if (bv === null || bv === undefined || bv === "" || key === "createdAt") continue;
      changes.push({ field: fieldLabel(key), before: formatAuditValue(key, bv), after: null });
    }
  }
  return changes;
}
