import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { FileField, FormErrors, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { z } from "zod";
import { resultFor } from "~/lib/forms";
import { uploadedFile } from "~/lib/form-schemas";
import { formSubmission, invalid, parseSubmission, refuse, rejected, unknownIntent } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { fileStatusLabel } from "~/lib/payment-labels";
import { PAYMENT_FILE_MAX_BYTES, uploadFileName } from "~/lib/payment-schemas";
import { listPaymentFiles, uploadPaymentFile } from "~/features/payments/bank-files.server";

export const meta: MetaFunction = () => [{ title: "Inbetalningar från banken – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "payment.read");
  return json({ files: listPaymentFiles(scope) });
}

/** Upload: the file is read and checked at once; a file that reads becomes a preview, which is applied on its page. */
export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "payment-file.upload");
  const form = await readForm(request);
  if (form.get("intent") !== "upload") return unknownIntent(formSubmission(form));
  const submission = parseSubmission(form, UploadSchema);
  // A file is never sent back into the page.
  const options = { hideFields: ["file"] };
  if (submission.status !== "success") return invalid(submission, options);
  const { file } = submission.value;
  if (file.size > PAYMENT_FILE_MAX_BYTES)
    return refuse(
      submission,
      { fieldErrors: { file: ["Filen är större än 5 MB: det är ingen BgMax-fil"] } },
      { ...options, status: 413 },
    );
  try {
    const preview = uploadPaymentFile(scope, new Uint8Array(await file.arrayBuffer()), uploadFileName(file.name));
    return redirect(`/payment-files/${preview.id}`);
  } catch (error) {
    // What is wrong with the file is said at the file input.
    return rejected(submission, error, { ...options, fieldOf: "file" });
  }
}

const UploadSchema = z.object({ intent: z.literal("upload"), file: uploadedFile("Välj BgMax-filen från banken") });

export default function PaymentFiles() {
  const { files } = useLoaderData<typeof loader>();
  const result = resultFor(useActionData<typeof action>());
  const [form, fields] = useAppForm<{ file: File }>({ id: "upload", lastResult: result });
  return (
    <>
      <h1>Inbetalningar från banken</h1>
      <p className="lead">
        Ladda upp bankens BgMax-fil (Bankgirot: <em>Bankgiro Inbetalningar</em>, filen med OCR-inbetalningar). Varje
        betalning prickas av mot fakturan med samma OCR-nummer. Du ser först en förhandsgranskning; inget bokas förrän
        du bekräftar. Se även <Link to="/unmatched-payments">ej matchade betalningar</Link> och{" "}
        <Link to="/receivables">kundreskontran</Link>.
      </p>
      <FormErrors result={result} />
      <Form method="post" encType="multipart/form-data" className="card" {...formProps(form)}>
        <input type="hidden" name="intent" value="upload" />
        <FileField
          field={fields.file}
          label="BgMax-fil"
          accept=".txt,.bgm,.bgmax,text/plain"
          hint="Filen som den kommer från banken, utan att öppnas och sparas i något annat program."
        />
        <p className="actions" style={{ marginBottom: 0 }}>
          <button className="btn" type="submit">
            Läs filen
          </button>
        </p>
      </Form>

      <h2>Uppladdade filer</h2>
      {files.length === 0 ? (
        <p className="muted">Inga filer än.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Fil</th>
                <th>Uppladdad</th>
                <th className="num">Betalningar</th>
                <th className="num">Summa</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <Link to={`/payment-files/${f.id}`}>
                      Fil {f.id}
                      {f.fileName ? ` (${f.fileName})` : ""}
                    </Link>
                  </td>
                  <td className="nowrap">{f.uploadedAt.slice(0, 10)}</td>
                  <td className="num">{f.paymentCount}</td>
                  <td className="num">{formatSek(f.totalOre)}</td>
                  <td>
                    <span className={`badge ${f.status === "applied" ? "badge-ok" : "badge-warn"}`}>
                      {fileStatusLabel[f.status]}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
