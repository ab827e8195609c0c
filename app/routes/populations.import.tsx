import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatInteger } from "../../billing/money";
import { FormErrors, Notice } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { DomainError, readForm } from "~/lib/http.server";
import { currentYear } from "../../billing/dates";
import { year as yearSchema } from "~/lib/schemas";
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
  await requireRole(request, "admin");
  const params = new URL(request.url).searchParams;
  const id = Number(params.get("id"));
  const preview = Number.isSafeInteger(id) && id > 0 ? (getPopulationImport(id) ?? null) : null;
  return json({
    defaultYear: currentYear() - 1,
    preview,
    applied: params.get("applied") === "1" && preview?.status === "applied",
  });
}

type ActionData = { errors: Record<string, string> };

/**
 * Two steps: "preview" (a multipart upload) reads the file and stores what it would change, then shows it;
 * "apply" stores that stored preview in one transaction, or nothing.
 */
export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const multipart = /^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "");
  if (!multipart) {
    const form = await readForm(request);
    const id = Number(form.get("importId"));
    if (form.get("intent") !== "apply" || !Number.isSafeInteger(id) || id <= 0) {
      return json<ActionData>({ errors: { _: "Välj en fil och förhandsgranska den först" } }, { status: 422 });
    }
    try {
      applyPopulationImport(scope, id);
    } catch (error) {
      if (error instanceof DomainError)
        return json<ActionData>({ errors: error.fields ?? { _: error.message } }, { status: error.status });
      throw error;
    }
    return redirect(`/populations/import?id=${id}&applied=1`);
  }
  const upload = await readUploadForm(request, MAX_FILE_BYTES);
  if (!upload.ok) return json<ActionData>({ errors: { file: upload.message } }, { status: upload.status });
  const year = yearSchema("Året").safeParse(upload.form.get("year"));
  const file = upload.form.get("file");
  const errors: Record<string, string> = {};
  if (!year.success) errors.year = year.error.issues[0].message;
  if (!file || typeof file === "string" || file.size === 0) errors.file = "Välj filen från SCB (XLSX eller CSV)";
  if (Object.keys(errors).length > 0 || !year.success || !file || typeof file === "string")
    return json<ActionData>({ errors }, { status: 422 });
  try {
    const preview = await previewPopulationImport(scope, new Uint8Array(await file.arrayBuffer()), year.data);
    return redirect(`/populations/import?id=${preview.id}`);
  } catch (error) {
    if (error instanceof DomainError)
      return json<ActionData>({ errors: error.fields ?? { file: error.message } }, { status: error.status });
    throw error;
  }
}

const statusText = (r: ImportRow) =>
  r.status === "update"
    ? r.current === null
      ? "Ny"
      : "Ändras"
    : { unchanged: "Oförändrad", not_member: "Inte medlem", error: "Fel" }[r.status];
const statusClass = { update: "badge-warn", unchanged: "", not_member: "", error: "badge-bad" } as const;
const layoutText = {
  scb_table: "SCB:s tabell",
  pxweb: "SCB:s statistikdatabas (PxWeb)",
  simple: "code,name,county,population",
} as const;

export default function ImportPopulations() {
  const { defaultYear, preview, applied } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors = data?.errors;
  const fieldError = (name: string) =>
    errors?.[name] ? (
      <p className="error" id={`${name}-error`} role="alert">
        {errors[name]}
      </p>
    ) : null;
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
      <FormErrors errors={errors} />
      <Form method="post" encType="multipart/form-data" className="card stack" noValidate>
        <div className="form-row">
          <div className={`field field-s${errors?.year ? " has-error" : ""}`}>
            <label htmlFor="year">Folkmängd 31 december år</label>
            <input
              id="year"
              name="year"
              inputMode="numeric"
              defaultValue={preview?.year ?? defaultYear}
              aria-invalid={errors?.year ? true : undefined}
              aria-describedby={errors?.year ? "year-error" : undefined}
            />
            {fieldError("year")}
          </div>
          <div className={`field field-l${errors?.file ? " has-error" : ""}`}>
            <label htmlFor="file">Fil från SCB (XLSX eller CSV)</label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={errors?.file ? true : undefined}
              aria-describedby={errors?.file ? "file-error" : undefined}
            />
            {fieldError("file")}
          </div>
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
            {layoutText[preview.layout]}, {preview.encoding === "xlsx" ? "XLSX" : preview.encoding}.{" "}
            {preview.notMembers} kommuner som inte är medlemmar och {preview.regionsSkipped} rader för riket och länen
            hoppas över.
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
