import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { formatInteger } from "../../billing/money";
import { FormErrors, Notice } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { DomainError, readForm } from "~/lib/http.server";
import { currentYear } from "~/lib/query";
import { year as yearSchema } from "~/lib/schemas";
import { applyPopulationImport, previewPopulationImport, type ImportPreview } from "~/services/population-import.server";

export const meta: MetaFunction = () => [{ title: "Importera invånarantal – Sambruk Admin" }];

const MAX_BYTES = 1_000_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ defaultYear: currentYear() - 1 });
}

type ActionData =
  | { step: "preview"; preview: ImportPreview; csv: string; errors?: undefined }
  | { step: "applied"; preview: ImportPreview; csv?: undefined; errors?: undefined }
  | { step: "error"; errors: Record<string, string>; preview?: ImportPreview; csv?: string };

/**
 * Two steps: "preview" reads the file and shows what would change (and every bad row); "apply" re-reads the
 * same text (sent back in a hidden field) and stores all of it in one transaction, or nothing.
 */
export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const form = await readForm(request);
  const year = yearSchema("Året").safeParse(form.get("year"));
  if (!year.success) return json<ActionData>({ step: "error", errors: { year: year.error.issues[0].message } }, { status: 422 });
  let csv = "";
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > MAX_BYTES) return json<ActionData>({ step: "error", errors: { file: "Filen är större än 1 MB" } }, { status: 413 });
    csv = await file.text();
  } else {
    csv = String(form.get("csv") ?? "");
  }
  if (!csv.trim()) return json<ActionData>({ step: "error", errors: { file: "Välj en CSV-fil eller klistra in innehållet" } }, { status: 422 });
  if (csv.length > MAX_BYTES) return json<ActionData>({ step: "error", errors: { csv: "Texten är större än 1 MB" } }, { status: 413 });
  try {
    if (form.get("intent") === "apply") {
      const preview = applyPopulationImport(scope, csv, year.data);
      return json<ActionData>({ step: "applied", preview });
    }
    return json<ActionData>({ step: "preview", preview: previewPopulationImport(csv, year.data), csv });
  } catch (error) {
    if (error instanceof DomainError) {
      let preview: ImportPreview | undefined;
      try {
        preview = previewPopulationImport(csv, year.data);
      } catch {
        preview = undefined;
      }
      return json<ActionData>({ step: "error", errors: error.fields ?? { _: error.message }, preview, csv }, { status: error.status });
    }
    throw error;
  }
}

const statusText = { new: "Ny", changed: "Ändras", unchanged: "Oförändrad", not_member: "Inte medlem", error: "Fel" } as const;
const statusClass = { new: "badge-ok", changed: "badge-warn", unchanged: "", not_member: "", error: "badge-bad" } as const;

export default function ImportPopulations() {
  const data = useActionData<typeof action>() as ActionData | undefined;
  const preview = data?.preview;
  const year = preview?.year ?? new Date().getFullYear() - 1;
  return (
    <>
      <h1>Importera invånarantal</h1>
      <p className="lead">
        CSV i SCB:s format: <code>code,name,county,population</code> (som <code>data/municipalities-2024.csv</code>). Rader för kommuner som inte är
        medlemmar hoppas över. Du ser först en förhandsgranskning; inget sparas förrän du bekräftar, och då sparas allt eller inget.
      </p>
      {data?.step === "applied" ? (
        <Notice kind="success">
          {preview!.toApply} invånarantal för {preview!.year} är sparade. <Link to="/members">Till medlemmarna</Link>
        </Notice>
      ) : null}
      <FormErrors errors={data?.errors} />
      <Form method="post" encType="multipart/form-data" className="card stack" noValidate>
        <input type="hidden" name="intent" value="preview" />
        <div className="form-row">
          <div className="field field-s">
            <label htmlFor="year">Folkmängd 31 december år</label>
            <input id="year" name="year" inputMode="numeric" defaultValue={year} aria-describedby={data?.errors?.year ? "year-error" : undefined} />
            {data?.errors?.year ? (
              <p className="error" id="year-error">
                {data.errors.year}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="file">CSV-fil</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby={data?.errors?.file ? "file-error" : undefined} />
            {data?.errors?.file ? (
              <p className="error" id="file-error">
                {data.errors.file}
              </p>
            ) : null}
          </div>
        </div>
        <div className="field field-l">
          <label htmlFor="csv">…eller klistra in innehållet</label>
          <textarea id="csv" name="csv" rows={4} defaultValue={data?.step === "preview" ? "" : (data?.csv ?? "")} />
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
                      <span className={`badge ${statusClass[r.status]}`}>{statusText[r.status]}</span>
                      {r.message && r.status === "error" ? <div className="error">{r.message}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data?.step === "preview" && preview.errors === 0 && preview.toApply > 0 ? (
            <Form method="post" className="actions" style={{ marginTop: 14 }}>
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="year" value={preview.year} />
              <input type="hidden" name="csv" value={data.csv} />
              <button className="btn" type="submit">
                Spara {preview.toApply} invånarantal för {preview.year}
              </button>
            </Form>
          ) : null}
          {preview.errors > 0 ? <p className="alert alert-error">Rätta de felaktiga raderna i filen och förhandsgranska igen. Inget har sparats.</p> : null}
        </section>
      ) : null}
    </>
  );
}
