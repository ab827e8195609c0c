import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CHARGE_KINDS } from "../../billing/enums";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { BillingRunSchema } from "~/lib/billing-schemas";
import { z } from "zod";
import { resultFor, type FormResult } from "~/lib/forms";
import { invalid, parseSubmission, refuse, rejected } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { chargeKindLabel, countOf } from "~/lib/i18n";
import { currentYear } from "../../billing/dates";
import { createBillingRun, previewBillingRun } from "~/features/billing-runs/commands.server";
import { listRuns } from "~/features/billing-runs/queries.server";
import { getSettings } from "~/features/settings/queries.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Fakturering – Sambruk Admin" }];

/** The annual fee first, as most runs bill it; then the other kinds of billing/enums.ts in their order. */
const KINDS = ["annual_fee" as const, ...CHARGE_KINDS.filter((k) => k !== "annual_fee")];

/** The run's schema as the forms send it: one ticked box is one value, none is no value at all. */
const RunFormSchema = BillingRunSchema.extend({
  charges: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), BillingRunSchema.shape.charges),
});

/** No box ticked sends no "charges" at all: its message still belongs to the boxes. */
const RUN_INPUTS = { inputs: ["year", "charges"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.read");
  const url = new URL(request.url);
  let preview = null;
  // The preview is a GET form (a link one can send): its reply has the same shape as an action's.
  let previewResult: FormResult | null = null;
  if (url.searchParams.has("preview")) {
    const submission = parseSubmission(url.searchParams, RunFormSchema);
    if (submission.status === "success") {
      try {
        preview = previewBillingRun(submission.value);
      } catch (error) {
        const message = error instanceof Error ? error.message : "Förhandsvisningen misslyckades";
        previewResult = await refuse(submission, { formErrors: [message] }).json();
      }
    } else previewResult = await invalid(submission, RUN_INPUTS).json();
  }
  return json({
    runs: listRuns(scope),
    hasSettings: !!getSettings(),
    canRun: can(scope, "billing-run.create"),
    year: Number(url.searchParams.get("year")) || currentYear(),
    chosen: url.searchParams.has("preview") ? url.searchParams.getAll("charges") : [...KINDS],
    preview,
    previewResult,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.create");
  const form = await readForm(request);
  const submission = parseSubmission(form, RunFormSchema);
  if (submission.status !== "success") return invalid(submission, RUN_INPUTS);
  try {
    const result = createBillingRun(scope, submission.value);
    if (result.run === null) {
      // Nothing new: no run is stored; back to the preview, which says so.
      const back = new URLSearchParams({ preview: "1", year: String(submission.value.year) });
      for (const c of submission.value.charges) back.append("charges", c);
      return redirect(`/billing?${back}`);
    }
    return redirect(`/billing/runs/${result.run.id}?created=${result.invoiceIds.length}`);
  } catch (error) {
    return rejected(submission, error);
  }
}

export default function Billing() {
  const { runs, hasSettings, canRun, year, chosen, preview, previewResult } = useLoaderData<typeof loader>();
  const result = resultFor(useActionData<typeof action>()) ?? resultFor(previewResult);
  const [form, fields] = useAppForm<{ year: string; charges: string[] }>({
    id: "run",
    lastResult: result,
    defaultValue: { year: String(year) },
  });
  const chargesError = fields.charges.errors?.[0];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Fakturering</h1>
          <p className="lead">
            Faktureringskörningar: årsavgifter, medlemsinsatser och projektandelar som inte redan är fakturerade.
          </p>
        </div>
        <div className="actions">
          <Link className="btn btn-secondary" to="/invoices">
            Alla fakturor
          </Link>
          <Link className="btn btn-secondary" to="/invoices?overdue=1">
            Förfallna
          </Link>
        </div>
      </div>
      {!hasSettings ? (
        <Notice kind="warning">
          Föreningens uppgifter saknas: fakturor kan inte utfärdas förrän de är ifyllda under{" "}
          <Link to="/settings">Inställningar</Link>.
        </Notice>
      ) : null}

      {canRun ? (
        <section className="card" aria-labelledby="new-h">
          <h2 id="new-h" style={{ marginTop: 0 }}>
            Ny faktureringskörning
          </h2>
          <FormErrors result={result} />
          <Form method="get" className="form-row" {...formProps(form, false)}>
            <input type="hidden" name="preview" value="1" />
            <Field field={fields.year} label="År" inputMode="numeric" size="s" />
            <fieldset
              className={chargesError ? "has-error" : undefined}
              aria-describedby={chargesError ? "charges-error" : undefined}
            >
              <legend>Avgifter</legend>
              {KINDS.map((k) => (
                <label key={k} style={{ marginRight: 12 }}>
                  <input type="checkbox" name="charges" value={k} defaultChecked={chosen.includes(k)} />{" "}
                  {chargeKindLabel[k]}
                </label>
              ))}
              {chargesError ? (
                <p className="error" id="charges-error" role="alert">
                  {chargesError}
                </p>
              ) : null}
            </fieldset>
            <div>
              <button className="btn btn-secondary" type="submit">
                Förhandsgranska
              </button>
            </div>
          </Form>

          {preview ? (
            <div data-testid="run-preview" style={{ marginTop: 16 }}>
              <h3>
                Förhandsgranskning {preview.year}: {countOf(preview.invoices.length, "faktura", "fakturor")},{" "}
                {formatSek(preview.total)}
              </h3>
              {preview.alreadyInvoiced > 0 ? (
                <p className="muted">
                  {preview.alreadyInvoiced === 1
                    ? "1 avgift är redan fakturerad"
                    : `${preview.alreadyInvoiced} avgifter är redan fakturerade`}{" "}
                  och tas inte med igen.
                </p>
              ) : null}
              {preview.problems.length > 0 ? (
                <div className="alert alert-warning">
                  <p>
                    <strong>{preview.problems.length} problem:</strong>
                  </p>
                  <ul>
                    {preview.problems.map((p, i) => (
                      <li key={i}>{p.message}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {preview.changes.map((ch) => (
                <section
                  key={`${ch.projectId}:${ch.year}`}
                  className="card"
                  data-testid="adjustment-preview"
                  aria-labelledby={`change-${ch.projectId}`}
                >
                  <h4 id={`change-${ch.projectId}`} style={{ marginTop: 0 }}>
                    Justering {ch.code} {ch.name} {ch.year}
                    {ch.missing ? <span className="badge badge-warn"> faktureras inte i denna körning</span> : null}
                  </h4>
                  <p className="small">
                    Fakturerat hittills {formatSek(ch.invoicedBefore)}, budget nu {formatSek(ch.budget)}.
                    {ch.reasons.length > 0 ? ` Ändrat: ${ch.reasons.join("; ")}.` : ""}
                  </p>
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Deltagare</th>
                          <th scope="col" className="num">
                            Fakturerat
                          </th>
                          <th scope="col" className="num">
                            Andel nu
                          </th>
                          <th scope="col" className="num">
                            Justering
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {ch.rows.map((r) => (
                          <tr key={r.memberId}>
                            <td>{r.memberName}</td>
                            <td className="num">{formatSek(r.invoicedBefore)}</td>
                            <td className="num">{formatSek(r.shareNow)}</td>
                            <td className="num">
                              {r.newShare !== 0
                                ? `${formatSek(r.newShare)} (andel)`
                                : r.adjustment === 0
                                  ? "–"
                                  : formatSek(r.adjustment)}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ))}
              {preview.invoices.length === 0 ? (
                <Notice>Inget nytt att fakturera för {preview.year} med de valda avgifterna.</Notice>
              ) : (
                <>
                  <div className="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Medlem</th>
                          <th scope="col">Rader</th>
                          <th scope="col" className="num">
                            Att betala
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {preview.invoices.map((inv) => (
                          <tr key={inv.memberId}>
                            <td>{inv.memberName}</td>
                            <td>
                              {inv.lines.map((l, i) => (
                                <div key={i} className="small">
                                  {l.description}: {formatSek(l.amount)}
                                </div>
                              ))}
                            </td>
                            <td className="num">{formatSek(inv.total)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  <Form method="post" style={{ marginTop: 12 }}>
                    <input type="hidden" name="year" value={preview.year} />
                    {preview.charges.map((c) => (
                      <input key={c} type="hidden" name="charges" value={c} />
                    ))}
                    <button className="btn" type="submit">
                      Skapa {preview.invoices.length} fakturautkast
                    </button>
                  </Form>
                </>
              )}
            </div>
          ) : null}
        </section>
      ) : null}

      <h2>Körningar</h2>
      {runs.length === 0 ? (
        <p className="muted">Inga faktureringskörningar än.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Körning</th>
                <th scope="col">År</th>
                <th scope="col">Avgifter</th>
                <th scope="col" className="num">
                  Utkast
                </th>
                <th scope="col" className="num">
                  Utfärdade
                </th>
                <th scope="col" className="num">
                  Belopp
                </th>
                <th scope="col">Skapad</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/billing/runs/${r.id}`}>Körning {r.id}</Link>
                    {r.problemCount > 0 ? <span className="badge badge-warn"> {r.problemCount} problem</span> : null}
                  </td>
                  <td>{r.year}</td>
                  <td>{r.chargeKinds.map((k) => chargeKindLabel[k]).join(", ")}</td>
                  <td className="num">{r.drafts}</td>
                  <td className="num">{r.issued}</td>
                  <td className="num">{formatSek(r.total)}</td>
                  <td>{r.createdAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
