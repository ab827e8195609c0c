import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { yearFromQuery } from "~/lib/query";
import { allocationCsv, asPageError, currentYear, projectAllocation } from "~/services/projects.server";

/** GET /projects/:id/allocation.csv?year=Y: the allocation table for Excel (UTF-8 with BOM, semicolons). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const id = idParam(params.id, false);
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"), currentYear());
  let allocation;
  try {
    allocation = projectAllocation(id, year);
  } catch (error) {
    throw asPageError(error);
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
  return new Response(allocationCsv(allocation), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
