import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, methodNotAllowed } from "~/lib/http.server";
import { previewJson } from "~/lib/payment-json.server";
import { readRawBody } from "~/lib/upload.server";
import { uploadPaymentFile } from "~/features/payments/bank-files.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/**
 * POST /api/v1/payment-files with the BgMax file as the raw body (treasurer, board): 201 with the preview; 422 with
 * `line` for a file that does not read; 409 duplicate_file for the same file or a payment applied before.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "payment-file.upload");
          const bytes = await readRawBody(request);
          return json(previewJson(uploadPaymentFile(scope, bytes, "")), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
