import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { oreToDecimalString } from "../../billing/money";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { BillingRunSchema } from "~/lib/billing-schemas";
import { apiHandler } from "~/lib/http.server";
import { createBillingRun } from "~/features/billing-runs/commands.server";
import { invoiceJson } from "~/features/invoices/json.server";
import { listInvoiceViews } from "~/features/invoices/queries.server";
import { listRuns } from "~/features/billing-runs/queries.server";
import { SYSTEM_SCOPE } from "../../db/scope";

/** GET /api/v1/billing-runs: the runs, newest first (treasurer and board). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "billing-run.read");
    return json({
      billingRuns: listRuns(scope).map((r) => ({
        id: r.id,
        year: r.year,
        charges: r.chargeKinds,
        createdAt: r.createdAt,
        issuedAt: r.issuedAt,
        drafts: r.drafts,
        issued: r.issued,
        total: oreToDecimalString(r.total),
        problems: r.problemCount,
      })),
    });
  });

/**
 * POST /api/v1/billing-runs {year, charges} (treasurer): 201 {id, year, invoices (drafts), problems}. A run with
 * nothing new to invoice stores nothing and answers 200 with `id: null`, no invoices, and says so in `message`.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "billing-run.create");
          const input = await parseApiBody(request, BillingRunSchema);
          const result = createBillingRun(scope, input);
          if (result.run === null) {
            // Nothing new: no run is stored, so the answer creates nothing (200, id null).
            return json({
              id: null,
              year: input.year,
              charges: input.charges,
              invoices: [],
              problems: result.problems,
              alreadyInvoiced: result.alreadyInvoiced,
              message:
                "Inget nytt att fakturera: alla avgifter av de valda slagen är redan fakturerade eller kan inte debiteras",
            });
          }
          const invoices = listInvoiceViews(SYSTEM_SCOPE, { runId: result.run.id }).map(invoiceJson);
          return json(
            {
              id: result.run.id,
              year: result.run.year,
              charges: input.charges,
              invoices,
              problems: result.problems,
              alreadyInvoiced: result.alreadyInvoiced,
              message: `${invoices.length} fakturautkast skapade`,
            },
            { status: 201 },
          );
        },
      },
      ["GET", "POST"],
    ),
  );
