import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { seriesOverflowWarning } from "../../billing/invoice-series";
import { formatSek, oreToInput, sumOre } from "../../billing/money";
import { ConfirmAction } from "~/components/confirm";
import { FormErrors, Notice } from "~/components/form";
import { requireRole, assertRole } from "~/lib/auth.server";
import { DraftLineSchema } from "~/lib/billing-schemas";
import { domainFormError, formError, idParam, parseForm, readForm } from "~/lib/http.server";
import { chargeKindLabel, invoiceStatusLabel } from "~/lib/i18n";
import { integer } from "~/lib/schemas";
import { deleteDraft, deleteDraftLine, updateDraftLine } from "~/features/invoices/drafts.server";
import { issueRun } from "~/features/invoices/issue.server";
import { runDetail } from "~/features/billing-runs/queries.server";
import { getSettings, lowestNextNumber } from "~/features/settings/queries.server";
import { RunDelivery } from "~/components/run-delivery";
import { SendFormSchema } from "~/lib/delivery-schemas";
import { runDeliverySummary, startRunSend } from "~/features/delivery/runs.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Körning ${data?.run.id ?? ""} – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "admin", "treasurer");
  const detail = runDetail(idParam(params.id, false));
  if (!detail) throw new Response("Körningen finns inte.", { status: 404 });
  // Warn before the drafts would run the year's invoice series into next year's numbers (billing/invoice-series.ts).
  const settings = getSettings();
  const draftCount = detail.invoices.filter((i) => i.state === "draft").length;
  const seriesWarning = settings
    ? seriesOverflowWarning(Math.max(settings.nextInvoiceNumber, lowestNextNumber()), draftCount)
    : null;
  return json({
    ...detail,
    canEdit: scope.role === "treasurer",
    hasSettings: !!settings,
    seriesWarning,
    delivery: runDeliverySummary(detail.run.id),
  });
}

const LineRef = z.object({ invoiceId: integer("Fakturan", { min: 1 }), lineId: integer("Raden", { min: 1 }) });
const InvoiceRef = z.object({ invoiceId: integer("Fakturan", { min: 1 }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireRole(request, "treasurer");
  assertRole(scope, ["treasurer"]);
  const runId = idParam(params.id, false);
  const form = await readForm(request);
  try {
    switch (form.get("intent")) {
      case "updateLine": {
        const parsed = parseForm(LineRef.merge(DraftLineSchema), form);
        if (!parsed.ok)
          return formError(parsed.fieldErrors, { ...parsed.values, lineId: String(form.get("lineId") ?? "") });
        updateDraftLine(scope, parsed.data.invoiceId, parsed.data.lineId, parsed.data);
        return redirect(`/billing/runs/${runId}?saved=line`);
      }
      case "deleteLine": {
        const parsed = parseForm(LineRef, form);
        if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
        deleteDraftLine(scope, parsed.data.invoiceId, parsed.data.lineId);
        return redirect(`/billing/runs/${runId}?saved=deleted`);
      }
      case "deleteDraft": {
        const parsed = parseForm(InvoiceRef, form);
        if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
        deleteDraft(scope, parsed.data.invoiceId);
        return redirect(`/billing/runs/${runId}?saved=deleted`);
      }
      case "issue": {
        const issued = issueRun(scope, runId);
        return redirect(`/billing/runs/${runId}?issued=${issued.length}`);
      }
      case "send": {
        // Sending runs in the background: the page shows the progress (docs/delivery.md).
        const parsed = parseForm(SendFormSchema, form);
        if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
        startRunSend(scope, runId, { resend: parsed.data.resend });
        return redirect(`/billing/runs/${runId}?sending=1`);
      }
      default:
        return formError({ _: "Okänd åtgärd" }, {}, 400);
    }
  } catch (error) {
    return domainFormError(error, form);
  }
}

const savedText: Record<string, string> = {
  line: "Raden är ändrad.",
  deleted: "Borttaget: avgifterna kan faktureras i en senare körning.",
};

export default function RunPage() {
  const { run, chargeKinds, problems, invoices, canEdit, hasSettings, seriesWarning, delivery } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  // A failed line edit names its line, so that its own fields are marked (not just the summary above).
  const failedLine = Number((actionData?.values as Record<string, string> | undefined)?.lineId) || null;
  const lineError = (lineId: number, field: string) => (failedLine === lineId ? errors?.[field] : undefined);
  const [params] = useSearchParams();
  const drafts = invoices.filter((i) => i.state === "draft");
  const issued = invoices.filter((i) => i.state !== "draft");
  const draftTotal = sumOre(drafts.map((d) => d.totalOre));
  const confirming = params.has("confirm") && drafts.length > 0;
  const created = params.get("created");
  return (
    <>
      <p className="small">
        <Link to="/billing">← Fakturering</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            Körning {run.id}: {run.year}
          </h1>
          <p className="lead">
            {chargeKinds.map((k) => chargeKindLabel[k]).join(", ")} · skapad {run.createdAt.slice(0, 10)}
            {run.issuedAt ? ` · skickad ${run.issuedAt.slice(0, 10)}` : ""}
          </p>
        </div>
        <div className="actions">
          {issued.length > 0 ? (
            <a className="btn btn-secondary" href={`/billing/runs/${run.id}/pdf`}>
              Alla fakturor som PDF
            </a>
          ) : null}
          {issued.length > 0 ? (
            <a className="btn btn-secondary" href={`/billing/runs/${run.id}/zip`} download>
              E-fakturor och PDF (ZIP)
            </a>
          ) : null}
          {canEdit && drafts.length > 0 && !confirming ? (
            <Link className="btn" to="?confirm=1">
              Skicka {drafts.length} fakturor
            </Link>
          ) : null}
        </div>
      </div>
      {created !== null ? (
        <Notice kind={created === "0" ? "info" : "success"}>
          {created === "0"
            ? "Inget nytt att fakturera: körningen skapade inga fakturor."
            : `${created} fakturautkast skapade.`}
        </Notice>
      ) : null}
      {params.get("issued") ? (
        <Notice kind="success">{params.get("issued")} fakturor är skickade och numrerade.</Notice>
      ) : null}
      {params.get("saved") && savedText[params.get("saved")!] ? (
        <Notice kind="success">{savedText[params.get("saved")!]}</Notice>
      ) : null}
      <FormErrors errors={errors} />
      <RunDelivery runId={run.id} summary={delivery} canSend={canEdit} confirming={params.has("send")} />

      {confirming ? (
        <section className="card alert-warning" aria-labelledby="confirm-h" data-testid="confirm-issue">
          <h2 id="confirm-h" style={{ marginTop: 0 }}>
            Skicka {drafts.length} fakturor?
          </h2>
          <p>
            {drafts.length} fakturor på sammanlagt <strong>{formatSek(draftTotal)}</strong> får nummer, fakturadatum i
            dag och OCR-nummer. Skickade fakturor kan inte ändras, bara krediteras.
          </p>
          {!hasSettings ? (
            <p className="alert alert-error">
              Föreningens uppgifter saknas: fyll i dem under <Link to="/settings">Inställningar</Link> först.
            </p>
          ) : null}
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="issue" />
            <button className="btn" type="submit">
              Ja, skicka {drafts.length} fakturor
            </button>
            <Link className="btn btn-secondary" to=".">
              Avbryt
            </Link>
          </Form>
        </section>
      ) : null}

      {seriesWarning ? (
        <p className="alert alert-warning" data-testid="series-warning">
          {seriesWarning} <Link to="/settings">Inställningar</Link>
        </p>
      ) : null}

      {problems.length > 0 ? (
        <div className="alert alert-warning">
          <p>
            <strong>Att åtgärda ({problems.length}):</strong>
          </p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.memberId ? <Link to={`/members/${p.memberId}`}>{p.message}</Link> : p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {drafts.length > 0 ? (
        <>
          <h2>
            Utkast ({drafts.length}, {formatSek(draftTotal)})
          </h2>
          {drafts.map((inv) => (
            <section key={inv.id} className="card" aria-label={`Utkast till ${inv.memberName}`}>
              <div className="page-head" style={{ marginBottom: 8 }}>
                <h3 style={{ margin: 0 }}>
                  {inv.memberName} · {formatSek(inv.totalOre)}
                </h3>
                {canEdit ? (
                  <ConfirmAction
                    label="Ta bort utkastet"
                    question={`Ta bort utkastet till ${inv.memberName} (${formatSek(inv.totalOre)})? Avgifterna kan faktureras i en senare körning.`}
                    confirmLabel="Ja, ta bort utkastet"
                    hidden={{ intent: "deleteDraft", invoiceId: inv.id }}
                  />
                ) : null}
              </div>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Beskrivning</th>
                    <th scope="col" className="num">
                      Belopp
                    </th>
                    <th scope="col" className="num">
                      Moms
                    </th>
                    {canEdit ? (
                      <th scope="col">
                        <span className="skip">Åtgärd</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {inv.lines.map((l) => (
                    <tr key={l.id}>
                      <td>
                        {canEdit ? (
                          <Form method="post" className="form-row" id={`line-${l.id}`}>
                            <input type="hidden" name="intent" value="updateLine" />
                            <input type="hidden" name="invoiceId" value={inv.id} />
                            <input type="hidden" name="lineId" value={l.id} />
                            <label className="skip" htmlFor={`desc-${l.id}`}>
                              Beskrivning
                            </label>
                            <input
                              id={`desc-${l.id}`}
                              name="description"
                              defaultValue={l.description}
                              size={40}
                              aria-invalid={lineError(l.id, "description") ? true : undefined}
                              aria-describedby={lineError(l.id, "description") ? `desc-${l.id}-error` : undefined}
                            />
                            <label className="skip" htmlFor={`amount-${l.id}`}>
                              Belopp i kronor
                            </label>
                            <input
                              id={`amount-${l.id}`}
                              name="amount"
                              defaultValue={oreToInput(l.amount)}
                              inputMode="decimal"
                              size={12}
                              aria-invalid={lineError(l.id, "amount") ? true : undefined}
                              aria-describedby={lineError(l.id, "amount") ? `amount-${l.id}-error` : undefined}
                            />
                            <button className="btn btn-secondary btn-small" type="submit">
                              Spara
                            </button>
                            {(["description", "amount"] as const).map((f) =>
                              lineError(l.id, f) ? (
                                <p
                                  key={f}
                                  className="error field-l"
                                  id={`${f === "description" ? "desc" : "amount"}-${l.id}-error`}
                                >
                                  {lineError(l.id, f)}
                                </p>
                              ) : null,
                            )}
                          </Form>
                        ) : (
                          l.description
                        )}
                      </td>
                      <td className="num">{formatSek(l.amount)}</td>
                      <td className="num">
                        {l.vatRate} % ({formatSek(l.vat)})
                      </td>
                      {canEdit ? (
                        <td className="num">
                          <ConfirmAction
                            label="Ta bort"
                            question={`Ta bort raden "${l.description}" (${formatSek(l.amount)})?`}
                            confirmLabel="Ja, ta bort raden"
                            hidden={{ intent: "deleteLine", invoiceId: inv.id, lineId: l.id }}
                          />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </>
      ) : null}

      {issued.length > 0 ? (
        <>
          <h2>Skickade fakturor ({issued.length})</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Nummer</th>
                  <th scope="col">Medlem</th>
                  <th scope="col">Förfaller</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Belopp
                  </th>
                </tr>
              </thead>
              <tbody>
                {issued.map((inv) => (
                  <tr key={inv.id}>
                    <td>
                      <Link to={`/invoices/${inv.id}`}>{inv.number}</Link>
                    </td>
                    <td>{inv.memberName}</td>
                    <td>{inv.dueDate}</td>
                    <td>{invoiceStatusLabel[inv.status]}</td>
                    <td className="num">{formatSek(inv.totalOre)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {invoices.length === 0 ? (
        <Notice>Körningen har inga fakturor: allt av de valda slagen var redan fakturerat.</Notice>
      ) : null}
    </>
  );
}
