import { parseWithZod, type Submission as ConformSubmission } from "@conform-to/zod";
import { json } from "@remix-run/node";
import { z, type ZodTypeAny } from "zod";
import { formErrorsOf, formStatusOf, isFormError } from "./form-errors.server";
import { inputName, type FormResult } from "./forms";
import { pageErrorOf } from "./http.server";

/*
 * Page forms on the server (docs/ui.md#forms, docs/decisions/022-forms-conform-reply.md). An action reads its form
 * with readForm (http.server.ts), parses it with `parseSubmission` against the same zod schema the API uses, and
 * answers a failure with one of the helpers below: always conform's reply, always with a status (422 for a
 * validation, the use case's 404/409/422, 400 for a form no page sends). The page gives the reply to useAppForm.
 */

export type Submission<S extends ZodTypeAny> = ConformSubmission<z.input<S>, string[], z.output<S>>;

/** Reply options every helper takes: inputs whose value is never sent back, hidden inputs that are no visible field. */
export interface ReplyOptions {
  /** Never typed back into the page (a password, a file). */
  hideFields?: string[];
  /** Hidden inputs (a row's id): a message for one of them is the form's, since no input on the page shows it. */
  hidden?: string[];
  /** Inputs the form has that a browser need not send (an unticked checkbox): their messages stay on them. */
  inputs?: string[];
  /** The input a message for the whole form is about (an upload's file): the message is shown there. */
  fieldOf?: string;
  status?: number;
  headers?: HeadersInit;
}

/**
 * The form parsed by conform with the shared schema. Our schemas do their own coercion (an empty input is
 * "absent" or "cleared", "72 136" is a number), so conform's is switched off. A form conform cannot read (its
 * reserved `__intent__` with no valid intent, say) is a 400 like any form no page sends.
 */
export function parseSubmission<S extends ZodTypeAny>(form: FormData | URLSearchParams, schema: S): Submission<S> {
  try {
    return parseWithZod(form, { schema, disableAutoCoercion: true });
  } catch (error) {
    if (error instanceof Response) throw error;
    throw new Response("Formuläret kunde inte läsas.", { status: 400 });
  }
}

/** For a form that only names an action (its hidden intent and a button): a submission with nothing to check. */
export function formSubmission(form: FormData | URLSearchParams): Submission<ZodTypeAny> {
  return parseSubmission(form, z.unknown());
}

/**
 * The reply, with each message on an input the form sent. A message for a name the form did not send as an
 * input (a whole group, "invoiceAddress"; a hidden id) goes to the nearest sent parent ("charges[0]" → "charges"),
 * else to the whole form: the summary's "Rätta fälten som är markerade nedan" then counts only marked inputs.
 */
function shaped(result: FormResult, options: ReplyOptions): FormResult {
  const hidden = options.hidden ?? [];
  const sent = new Set([...(result.fields ?? []), ...(options.inputs ?? [])].filter((name) => !hidden.includes(name)));
  const error: Record<string, string[]> = {};
  const general: string[] = [];
  const add = (name: string, messages: string[]) => {
    const list = (error[name] ??= []);
    for (const m of messages) if (!list.includes(m)) list.push(m);
  };
  for (const [name, messages] of Object.entries(result.error ?? {})) {
    if (!messages || messages.length === 0) continue;
    if (name === "") {
      general.push(...messages);
      continue;
    }
    let target: string | null = name;
    while (target !== null && !sent.has(target)) target = parentOf(target);
    if (target === null) general.push(...messages);
    else add(target, messages);
  }
  if (general.length > 0) add("", general);
  return { ...result, status: "error", error };
}

function parentOf(name: string): string | null {
  const cut = Math.max(name.lastIndexOf("."), name.lastIndexOf("["));
  return cut > 0 ? name.slice(0, cut) : null;
}

function answer(result: FormResult, options: ReplyOptions, fallbackStatus: number) {
  return json(shaped(result, options), {
    status: options.status ?? fallbackStatus,
    headers: options.headers,
  });
}

/** The schema refused the form: 422 with its messages per input. */
export function invalid<S extends ZodTypeAny>(submission: Submission<S>, options: ReplyOptions = {}) {
  return answer(submission.reply({ hideFields: options.hideFields }), options, 422);
}

/**
 * Messages the action decides itself (an unknown intent, a missing input, wrong credentials). Field names may be
 * the API's dotted paths.
 */
export function refuse<S extends ZodTypeAny>(
  submission: Submission<S>,
  messages: { formErrors?: string[]; fieldErrors?: Record<string, string[]> },
  options: ReplyOptions = {},
) {
  const fieldErrors = Object.fromEntries(
    Object.entries(messages.fieldErrors ?? {}).map(([name, list]) => [inputName(name), list]),
  );
  let formErrors = messages.formErrors;
  if (options.fieldOf && formErrors && formErrors.length > 0) {
    fieldErrors[options.fieldOf] = [...(fieldErrors[options.fieldOf] ?? []), ...formErrors];
    formErrors = [];
  }
  return answer(submission.reply({ formErrors, fieldErrors, hideFields: options.hideFields }), options, 422);
}

/**
 * What a use case threw, as the form's messages with the use case's status; a refusal by the policy is the 403
 * page (pageErrorOf), anything else is rethrown.
 */
export function rejected<S extends ZodTypeAny>(submission: Submission<S>, error: unknown, options: ReplyOptions = {}) {
  if (!isFormError(error)) throw pageErrorOf(error);
  return refuse(submission, formErrorsOf(error), { status: formStatusOf(error), ...options });
}

/** The answer to an intent the page does not have. */
export function unknownIntent<S extends ZodTypeAny>(submission: Submission<S>) {
  return refuse(submission, { formErrors: ["Okänd åtgärd"] }, { status: 400 });
}
