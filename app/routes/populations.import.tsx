import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ImportRowStatus } from "../../billing/enums";
import { formatInteger } from "../../billing/money";
import { Field, FileField, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { z } from "zod";
import { resultFor } from "~/lib/forms";
import { uploadedFile } from "~/lib/form-schemas";
import { formSubmission, invalid, parseSubmission, refuse, rejected } from "~/lib/forms.server";
import { assertFormShape, readForm } from "~/lib/http.server";
import { importRowStatusLabel, populationLayoutLabel, countOf } from "~/lib/i18n";
import { currentYear } from "../../billing/dates";
import { integer, year as yearSchema } from "~/lib/schemas";
import { readUploadForm } from "~/lib/upload.server";
import {
  applyPopulationImport,
  getPopulationImport,
  MAX_FILE_BYTES,
  previewPopulationImport,
  type ImportRow,
} from "~/features/interchange/population-import.server";

export const meta: MetaFunction = () => [{ title: "Importera invånarantal – Sambruk Admin" }];

/** ?id=N shows a stored preview (after the upload, or later); the figures are stored only by "Spara". */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "population.import");
  const params = new URL(request.url).searchParams;
  const id = Number(params.get("id"));
  const preview = Number.isSafeInteger(id) && id > 0 ? (getPopulationImport(id) ?? null) : null;
  return json({
    defaultYear: currentYear() - 1,
    preview,
    applied: params.get("applied") === "1" && preview?.status === "applied",
  });
}

const UploadSchema = z.object({
  year: yearSchema("Året"),
  file: uploadedFile("Välj filen från SCB (XLSX eller CSV)"),
});
const ApplySchema = z.object({ intent: z.literal("apply"), importId: integer("Förhandsgranskningen", { min: 1 }) });
const NO_PREVIEW = "Välj en fil och förhandsgranska den först";

/**
 * Two steps: "preview" (a multipart upload) reads the file and stores what it would change, then shows it;
 * "apply" stores that stored preview in one transaction, or nothing.
 */
export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "population.import");
  const multipart = /^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "");
  if (!multipart) {
    const form = await readForm(request);
    const submission = parseSubmission(form, ApplySchema);
    if (submission.status !== "success") return refuse(submission, { formErrors: [NO_PREVIEW] });
    const id = submission.value.importId;
    try {
      applyPopulationImport(scope, id);
    } catch (error) {
      return rejected(submission, error);
    }
    return redirect(`/populations/import?id=${id}&applied=1`);
  }
  // The page's inputs, also when the body could not be read into them; a file is never sent back.
  const options = { inputs: ["year", "file"], hideFields: ["file"] };
  const upload = await readUploadForm(request, MAX_FILE_BYTES);
  if (!upload.ok)
    return refuse(
      formSubmission(new FormData()),
      { fieldErrors: { file: [upload.message] } },
      {
        ...options,
        status: upload.status,
      },
    );
  assertFormShape(upload.form);
  const submission = parseSubmission(upload.form, UploadSchema);
  if (submission.status !== "success") return invalid(submission, options);
  try {
    const { file, year } = submission.value;
    const preview = await previewPopulationImport(scope, new Uint8Array(await file.arrayBuffer()), year);
    return redirect(`/populations/import?id=${preview.id}`);
  } catch (error) {
    // What is wrong with the file is said at the file input.
    return rejected(submission, error, { ...options, fieldOf: "file" });
  }
}

// A row that updates a member without a figure for the year adds one: "Ny" rather than "Ändras".
const statusText = (r: ImportRow) =>
  r.status === "update" && r.current === null ? "Ny" : importRowStatusLabel[r.status];
const statusClass: Record<ImportRowStatus, string> = {
  update: "badge-warn",
  unchanged: "",
  not_member: "",
  error: "badge-bad",
};

export default function ImportPopulations() {
  const { defaultYear, preview, applied } = useLoaderData<typeof loader>();
  const result = resultFor(useActionData<typeof action>());
  const [form, fields] = useAppForm<{ year: string; file: File }>({
    id: "population-import",
    lastResult: result,
    defaultValue: { year: String(preview?.year ?? defaultYear) },
  });
  return (
    <>
      <h1>Importera invånarantal</h1>
      <p className="lead">
        Ladda upp SCB:s fil som den är: tabellen ”Folkmängd i riket, län och kommuner 31 december ÅÅÅÅ” (XLSX eller
        CSV), en CSV-fil från SCB:s statistikdatabas, eller en fil med kolumnerna{" "}
        <code>code,name,county,population</code>. Rader för riket, länen och kommuner som inte är medlemmar hoppas över.
        Du ser först en förhandsgranskning; inget sparas förrän du bekräftar, och då sparas allt eller inget.
      </p>
      {applied && preview ? (
        <Notice kind="success">
          {preview.toApply} invånarantal för {preview.year} är sparade. <Link to="/members">Till medlemmarna</Link>
        </Notice>
      ) : null}
      <FormErrors result={result} />
      <Form method="post" encType="multipart/form-data" className="card stack" {...formProps(form)}>
        <div className="form-row">
          <Field field={fields.year} label="Folkmängd 31 december år" inputMode="numeric" size="s" />
          <FileField
            field={fields.file}
            label="Fil från SCB (XLSX eller CSV)"
            accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </div>
        <div>
          <button className="btn" type="submit">
            Förhandsgranska
          </button>
        </div>
      </Form>

      {preview ? (
        <section aria-labelledby="preview-h">
          <h2 id="preview-h">
            Förhandsgranskning för {preview.year}: {preview.toApply} att spara, {preview.errors} fel
          </h2>
          <p className="hint">
            {populationLayoutLabel[preview.layout]}, {preview.encoding === "xlsx" ? "XLSX" : preview.encoding}.{" "}
            {preview.notMembers === 1
              ? "1 kommun som inte är medlem"
              : `${preview.notMembers} kommuner som inte är medlemmar`}{" "}
            och {countOf(preview.regionsSkipped, "rad", "rader")} för riket och länen hoppas över.
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Rad</th>
                  <th scope="col">Kod</th>
                  <th scope="col">Namn i filen</th>
                  <th scope="col">Medlem</th>
                  <th scope="col" className="num">
                    Nu
                  </th>
                  <th scope="col" className="num">
                    I filen
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.code}</td>
                    <td>{r.name}</td>
                    <td>{r.memberName ?? "–"}</td>
                    <td className="num">{r.current === null ? "–" : formatInteger(r.current)}</td>
                    <td className="num">{r.population === null ? "–" : formatInteger(r.population)}</td>
                    <td>
                      <span className={`badge ${statusClass[r.status]}`}>{statusText(r)}</span>
                      {r.message && r.status === "error" ? <div className="error">{r.message}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.status === "preview" && preview.errors === 0 && preview.toApply > 0 ? (
            <Form method="post" className="actions" style={{ marginTop: 14 }}>
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="importId" value={preview.id} />
              <button className="btn" type="submit">
                Spara {preview.toApply} invånarantal för {preview.year}
              </button>
            </Form>
          ) : null}
          {preview.errors > 0 ? (
            <p className="alert alert-error">
              Rätta de felaktiga raderna i filen och förhandsgranska igen. Inget har sparats.
            </p>
          ) : null}
          {preview.status === "preview" && preview.errors === 0 && preview.toApply === 0 ? (
            <p className="alert">
              Filen ändrar inget: alla medlemmars invånarantal för {preview.year} är redan desamma.
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
