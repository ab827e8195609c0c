import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { seriesOverflowWarning } from "../../billing/invoice-series";
import { formatSek, oreToInput, sumOre } from "../../billing/money";
import { ConfirmAction } from "~/components/confirm";
import { FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { IssueConfirm } from "~/components/issue-dates";
import { requirePermission } from "~/lib/auth.server";
import { DraftLineSchema, IssueDatesSchema } from "~/lib/billing-schemas";
import { resultFor, type FormResult } from "~/lib/forms";
import {
  formSubmission,
  invalid,
  parseSubmission,
  rejected,
  unknownIntent,
  type ReplyOptions,
} from "~/lib/forms.server";
import { idParam, readForm } from "~/lib/http.server";
import { chargeKindLabel, countOf, invoiceStatusLabel } from "~/lib/i18n";
import { integer } from "~/lib/schemas";
import { RunDelivery } from "~/components/run-delivery";
import { SendFormSchema } from "~/lib/delivery-schemas";
import { invariantResponse } from "~/lib/invariant.server";
import { deleteDraft, deleteDraftLine, updateDraftLine } from "~/features/invoices/drafts.server";
import { issueRun } from "~/features/invoices/issue.server";
import { runDetail } from "~/features/billing-runs/queries.server";
import { getSettings, lowestNextNumber } from "~/features/settings/queries.server";
import { runDeliverySummary, startRunSend } from "~/features/delivery/runs.server";
import { issueDatesView } from "~/features/invoices/issue-dates.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Körning ${data?.run.id ?? ""} – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.read");
  const detail = runDetail(scope, idParam(params.id, false));
  invariantResponse(detail, "Körningen finns inte.");
  const url = new URL(request.url);
  // Warn before the drafts would run the year's invoice series into next year's numbers (billing/invoice-series.ts).
  const settings = getSettings();
  const draftCount = detail.invoices.filter((i) => i.state === "draft").length;
  const seriesWarning = settings
    ? seriesOverflowWarning(Math.max(settings.nextInvoiceNumber, lowestNextNumber()), draftCount)
    : null;
  return json({
    ...detail,
    canEdit: can(scope, "invoice.edit-draft"),
    hasSettings: !!settings,
    seriesWarning,
    delivery: runDeliverySummary(detail.run.id),
    // The dates of the issue confirmation (?confirm=1&issueDate=&dueDate=): docs/invoices.md#dates.
    issueDates: draftCount > 0 && url.searchParams.has("confirm") ? await issueDatesView(url.searchParams) : null,
  });
}

const LineRef = z.object({ invoiceId: integer("Fakturan", { min: 1 }), lineId: integer("Raden", { min: 1 }) });
const InvoiceRef = z.object({ invoiceId: integer("Fakturan", { min: 1 }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, ["invoice.edit-draft", "billing-run.issue", "billing-run.send"]);
  const runId = idParam(params.id, false);
  const form = await readForm(request);
  /** Parses the form with the intent's schema and runs the change; a failure is the form's reply. */
  async function change<S extends z.ZodTypeAny>(
    schema: S,
    run: (value: z.output<S>) => string | Promise<string>,
    options: ReplyOptions = {},
  ) {
    const submission = parseSubmission(form, schema);
    if (submission.status !== "success") return invalid(submission, options);
    try {
      return redirect(await run(submission.value));
    } catch (error) {
      return rejected(submission, error, options);
    }
  }
  // The ids of a line or a draft are hidden inputs: a message about them is the page's, not a field's.
  const refs = { hidden: ["invoiceId", "lineId"] };
  switch (form.get("intent")) {
    case "updateLine":
      return change(
        LineRef.merge(DraftLineSchema),
        (v) => {
          updateDraftLine(scope, v.invoiceId, v.lineId, v);
          return `/billing/runs/${runId}?saved=line`;
        },
        refs,
      );
    case "deleteLine":
      return change(
        LineRef,
        (v) => {
          deleteDraftLine(scope, v.invoiceId, v.lineId);
          return `/billing/runs/${runId}?saved=deleted`;
        },
        refs,
      );
    case "deleteDraft":
      return change(
        InvoiceRef,
        (v) => {
          deleteDraft(scope, v.invoiceId);
          return `/billing/runs/${runId}?saved=deleted`;
        },
        refs,
      );
    case "issue":
      // With the dates the confirmation showed (docs/invoices.md#dates); their messages go to its date fields.
      return change(IssueDatesSchema, (v) => `/billing/runs/${runId}?issued=${issueRun(scope, runId, v).length}`);
    case "send":
      // Sending runs in the background: the page shows the progress (docs/delivery.md).
      return change(SendFormSchema, (v) => {
        startRunSend(scope, runId, { resend: v.resend });
        return `/billing/runs/${runId}?sending=1`;
      });
    default:
      return unknownIntent(formSubmission(form));
  }
}

const savedText: Record<string, string> = {
  line: "Raden är ändrad.",
  deleted: "Borttaget: avgifterna kan faktureras i en senare körning.",
};

export default function RunPage() {
  const { run, chargeKinds, problems, invoices, canEdit, hasSettings, seriesWarning, delivery, issueDates } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = resultFor(actionData);
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
            {run.issuedAt ? ` · utfärdad ${run.issuedAt.slice(0, 10)}` : ""}
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
              Utfärda {countOf(drafts.length, "faktura", "fakturor")}
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
        <Notice kind="success">
          {countOf(Number(params.get("issued")), "faktura är utfärdad", "fakturor är utfärdade")} och numrerade.
        </Notice>
      ) : null}
      {params.get("saved") && savedText[params.get("saved")!] ? (
        <Notice kind="success">{savedText[params.get("saved")!]}</Notice>
      ) : null}
      <FormErrors result={result} />
      <RunDelivery runId={run.id} summary={delivery} canSend={canEdit} confirming={params.has("send")} />

      {confirming ? (
        <IssueConfirm
          count={drafts.length}
          total={draftTotal}
          view={issueDates}
          actionResult={resultFor(actionData, { intent: "issue" })}
          hasSettings={hasSettings}
          hidden={{ intent: "issue" }}
          keep="confirm"
        />
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
                          <DraftLineForm
                            invoiceId={inv.id}
                            line={l}
                            result={resultFor(actionData, { intent: "updateLine", lineId: l.id })}
                          />
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
          <h2>Utfärdade fakturor ({issued.length})</h2>
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

/** One draft line's form; a failed edit names its line (the hidden lineId), so that its own inputs are marked. */
function DraftLineForm({
  invoiceId,
  line,
  result,
}: {
  invoiceId: number;
  line: { id: number; description: string; amount: number };
  result?: FormResult;
}) {
  const [form, fields] = useAppForm<Record<string, string>>({
    id: `line-${line.id}`,
    lastResult: result,
    defaultValue: { description: line.description, amount: oreToInput(line.amount) },
  });
  const inputs = [
    { field: fields.description, id: `desc-${line.id}`, label: "Beskrivning", size: 40 },
    { field: fields.amount, id: `amount-${line.id}`, label: "Belopp i kronor", size: 12 },
  ];
  return (
    <Form method="post" className="form-row" {...formProps(form, false)}>
      <input type="hidden" name="intent" value="updateLine" />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <input type="hidden" name="lineId" value={line.id} />
      {inputs.map(({ field, id, label, size }) => (
        <Fragment key={id}>
          <label className="skip" htmlFor={id}>
            {label}
          </label>
          <input
            key={field.key}
            id={id}
            name={field.name}
            defaultValue={field.defaultValue}
            inputMode={field.name === "amount" ? "decimal" : undefined}
            size={size}
            aria-invalid={field.errors ? true : undefined}
            aria-describedby={field.errors ? `${id}-error` : undefined}
          />
        </Fragment>
      ))}
      <button className="btn btn-secondary btn-small" type="submit">
        Spara
      </button>
      {inputs.map(({ field, id }) =>
        field.errors ? (
          <p key={id} className="error field-l" id={`${id}-error`}>
            {field.errors[0]}
          </p>
        ) : null,
      )}
    </Form>
  );
}
