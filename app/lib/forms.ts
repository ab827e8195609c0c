import type { SubmissionResult } from "@conform-to/react";

/*
 * The one shape of a failed form (docs/ui.md#forms): conform's SubmissionResult, as `submission.reply()` makes it
 * on the server. `error[""]` holds the messages for the whole form, `error[name]` those of one input (named as
 * conform names them: "invoiceAddress.street", "brackets[0].name"); `initialValue` is what was typed, so the page
 * shows it again, also without JavaScript. Shared by the server helpers (forms.server.ts) and the components.
 */
export type FormResult = SubmissionResult<string[]>;

/** The input name of an API field path: "brackets.0.name" → "brackets[0].name"; conform's names pass unchanged. */
export function inputName(path: string): string {
  return path
    .split(".")
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
}

/** The dotted path of an input name: "brackets[0].name" → "brackets.0.name" (the API's and readForm's spelling). */
export function dottedPath(name: string): string {
  return name.replace(/\[(\d*)\]/g, ".$1");
}

function isFormResult(data: unknown): data is FormResult {
  return typeof data === "object" && data !== null && ("error" in data || "initialValue" in data);
}

/**
 * The action's reply if it is for this form: on a page with several forms, the one whose hidden inputs (the
 * `intent`, a row's id) were sent with `match`. Anything else (no reply, another form's) is undefined.
 */
export function resultFor(data: unknown, match: Record<string, string | number> = {}): FormResult | undefined {
  if (!isFormResult(data)) return undefined;
  const sent = data.initialValue ?? {};
  for (const [name, value] of Object.entries(match)) {
    if (sent[name] !== String(value)) return undefined;
  }
  return data;
}

/** The first message of each input with an error, and the form's own messages under "" (for tests and summaries). */
export function messagesOf(result: FormResult | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, messages] of Object.entries(result?.error ?? {})) {
    if (messages && messages.length > 0) out[name] = messages[0];
  }
  return out;
}
