import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam, pageErrorOf } from "~/lib/http.server";
import { yearFromQuery } from "~/lib/query";
import { separatorFromQuery } from "../../billing/csv";
import { allocationCsv, maySeeAllocationCsv } from "~/features/projects/csv.server";
import { currentYear } from "../../billing/dates";
import { projectAllocation } from "~/features/projects/allocation.server";

/**
 * GET /projects/:id/allocation.csv?year=Y[&sep=comma]: the allocation table for Excel (UTF-8 with BOM, semicolons and
 * decimal commas by default). Staff get every project-year; a member user only one its member takes part in.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const id = idParam(params.id, false);
  const query = new URL(request.url).searchParams;
  const year = yearFromQuery(query.get("year"), currentYear());
  let allocation;
  try {
    allocation = projectAllocation(id, year);
  } catch (error) {
    throw pageErrorOf(error);
  }
  // Before any other answer: the reasons a split cannot be made name the participants.
  if (!maySeeAllocationCsv(scope, allocation)) {
    return new Response(`Fördelningen som fil kan bara hämtas av projektets deltagare, kassören och styrelsen.\n`, {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (allocation.budget === null) {
    return new Response(`${allocation.project.code} har ingen budget för ${year}.\n`, {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (!allocation.ok) {
    const lines = allocation.errors.map((e) => e.message).join("\n");
    return new Response(`Fördelningen för ${year} kan inte beräknas:\n${lines}\n`, {
      status: 422,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const filename = `fordelning-${allocation.project.code}-${year}.csv`;
  return new Response(allocationCsv(allocation, separatorFromQuery(query.get("sep"))), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
