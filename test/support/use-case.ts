import { DomainError } from "../../billing/errors";
import { createSessionRedirect } from "../../app/lib/auth.server";
import { domainApiError } from "../../app/lib/http.server";

/*
 * For use-case tests that run in-process (no server): what the API would answer, without the HTTP around it.
 * The routes are thin (parse → use case → serialiser), so a use case plus its serialiser is the answer's body, and
 * the app's one mapping of errors to the API gives the status and the error body. HTTP tests check that the routes
 * wire these together (docs/quality.md#how-the-tests-are-organised).
 */

/** A value as it crosses the wire: what JSON.stringify keeps, as JSON.parse gives it back. */
export function wire<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

export interface Answer {
  status: number;
  json: any;
}

/**
 * What an API route answers for a use case and its serialiser, without the route: `status` (200 unless told) and
 * the serialised value as it crosses the wire, or, for a refusal (a DomainError), the status and error body of the
 * app's one mapping (domainApiError, app/http/errors.ts). Anything else the use case throws fails the test.
 */
export async function answer(fn: () => unknown, status = 200): Promise<Answer> {
  try {
    return { status, json: wire(await fn()) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const res = domainApiError(error);
    return { status: res.status, json: await res.json() };
  }
}

/**
 * A session cookie ("sambruk_session=…") for a user, made by the function the login action calls once the password
 * is checked: for calling page loaders in-process, and for the server started on the same file (test/support/http.ts).
 */
export async function sessionCookie(userId: number): Promise<string> {
  const res = await createSessionRedirect(new Request("http://localhost/login"), userId, "/");
  const header = res.headers.get("set-cookie");
  if (!header) throw new Error("createSessionRedirect set no cookie");
  return header.split(";")[0];
}
