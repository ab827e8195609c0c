/*
 * HTML text for the few tables that are rendered as one string rather than one React element per cell (the
 * member list: 290 rows, docs/ui.md#large-tables). Everything that comes from data goes through escapeHtml, which
 * escapes exactly what React escapes in text and attribute values, so the markup is the same as React's.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
const SPECIAL = /[&<>"']/g;

export function escapeHtml(text: string | number): string {
  const s = String(text);
  return SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPES[c]) : s;
}
