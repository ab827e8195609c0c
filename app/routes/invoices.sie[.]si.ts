import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { SiePeriodSchema } from "~/lib/bookkeeping-schemas";
import { DomainError } from "~/lib/http.server";
import { sieExport, sieResponse } from "~/features/interchange/sie.server";

/** GET /invoices/sie.si?from=&to=: the SIE 4I file of the period for the accounting program (treasurer and board). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const parsed = SiePeriodSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const text = (status: number, body: string) =>
    new Response(`${body}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!parsed.success) return text(422, parsed.error.issues.map((i) => i.message).join("\n"));
  try {
    return sieResponse(sieExport(parsed.data));
  } catch (error) {
    if (error instanceof DomainError) return text(error.status, error.message);
    throw error;
  }
}
