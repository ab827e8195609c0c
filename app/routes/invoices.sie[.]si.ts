import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { SiePeriodSchema } from "~/lib/bookkeeping-schemas";
import { DomainError } from "../../billing/errors";
import { sieExport, sieResponse } from "~/features/interchange/sie.server";
import { statusOf } from "~/http/errors";

/** GET /invoices/sie.si?from=&to=: the SIE 4I file of the period for the accounting program (treasurer and board). */
export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "invoice.export");
  const parsed = SiePeriodSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const text = (status: number, body: string) =>
    new Response(`${body}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!parsed.success) return text(422, parsed.error.issues.map((i) => i.message).join("\n"));
  try {
    return sieResponse(sieExport(scope, parsed.data));
  } catch (error) {
    if (error instanceof DomainError) return text(statusOf(error), error.message);
    throw error;
  }
}
