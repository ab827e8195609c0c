import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { FormErrors } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { DomainError, formError, readForm } from "~/lib/http.server";
import { fileStatusLabel } from "~/lib/payment-labels";
import { PAYMENT_FILE_MAX_BYTES, uploadFileName } from "~/lib/payment-schemas";
import { listPaymentFiles, uploadPaymentFile } from "~/features/payments/bank-files.server";

export const meta: MetaFunction = () => [{ title: "Inbetalningar från banken – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "treasurer", "admin");
  return json({ files: listPaymentFiles(scope) });
}

/** Upload: the file is read and checked at once; a file that reads becomes a preview, which is applied on its page. */
export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "treasurer", "admin");
  const form = await readForm(request);
  if (form.get("intent") !== "upload") return formError({ _: "Okänd åtgärd" }, {}, 400);
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0)
    return formError({ file: "Välj BgMax-filen från banken" }, {});
  if (file.size > PAYMENT_FILE_MAX_BYTES)
    return formError({ file: "Filen är större än 5 MB: det är ingen BgMax-fil" }, {}, 413);
  try {
    const preview = uploadPaymentFile(scope, new Uint8Array(await file.arrayBuffer()), uploadFileName(file.name));
    return redirect(`/payment-files/${preview.id}`);
  } catch (error) {
    if (error instanceof DomainError) return formError({ file: error.message }, {}, error.status);
    throw error;
  }
}

export default function PaymentFiles() {
  const { files } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.fieldErrors;
  return (
    <>
      <h1>Inbetalningar från banken</h1>
      <p className="lead">
        Ladda upp bankens BgMax-fil (Bankgirot: <em>Bankgiro Inbetalningar</em>, filen med OCR-inbetalningar). Varje
        betalning prickas av mot fakturan med samma OCR-nummer. Du ser först en förhandsgranskning; inget bokas förrän
        du bekräftar. Se även <Link to="/unmatched-payments">ej matchade betalningar</Link> och{" "}
        <Link to="/receivables">kundreskontran</Link>.
      </p>
      <FormErrors errors={errors && !errors.file ? errors : null} />
      <Form method="post" encType="multipart/form-data" className="card" noValidate>
        <input type="hidden" name="intent" value="upload" />
        <div className={`field field-l${errors?.file ? " has-error" : ""}`}>
          <label htmlFor="file">BgMax-fil</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".txt,.bgm,.bgmax,text/plain"
            aria-invalid={errors?.file ? true : undefined}
            aria-describedby={errors?.file ? "file-error" : "file-hint"}
          />
          <p className="hint" id="file-hint">
            Filen som den kommer från banken, utan att öppnas och sparas i något annat program.
          </p>
          {errors?.file ? (
            <p className="error" id="file-error" role="alert">
              {errors.file}
            </p>
          ) : null}
        </div>
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
