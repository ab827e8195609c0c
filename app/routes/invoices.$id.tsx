import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { todayIso } from "../../billing/dates";
import { formatInteger, formatSek, oreToInput } from "../../billing/money";
import { ConfirmAction } from "~/components/confirm";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { IssueConfirm } from "~/components/issue-dates";
import { requirePermission, requireUser } from "~/lib/auth.server";
import { CreditSchema, IssueDatesSchema, PaymentSchema } from "~/lib/billing-schemas";
import { resultFor } from "~/lib/forms";
import { formSubmission, invalid, parseSubmission, rejected, unknownIntent } from "~/lib/forms.server";
import { idParam, readForm } from "~/lib/http.server";
import { bracketText, overrideText, chargeKindLabel, invoiceStatusLabel } from "~/lib/i18n";
import { DeliveryLog } from "~/components/delivery-log";
import { SendFormSchema } from "~/lib/delivery-schemas";
import { invariantResponse } from "~/lib/invariant.server";
import { creditInvoice } from "~/features/invoices/credit.server";
import { creditNoteOf, getInvoiceView, paymentsOf, remindersOf } from "~/features/invoices/queries.server";
import { invoiceDocument } from "~/features/invoices/documents.server";
import { issueInvoice } from "~/features/invoices/issue.server";
import { recordReminder } from "~/features/invoices/reminders.server";
import { registerPayment } from "~/features/payments/commands.server";
import { deliveryLog } from "~/features/delivery/log.server";
import { sendInvoice } from "~/features/delivery/send.server";
import { sendReminder } from "~/features/delivery/reminders.server";
import { issueDatesView } from "~/features/invoices/issue-dates.server";
import { type Action, can } from "../../billing/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.invoice.number ? `Faktura ${data.invoice.number}` : "Fakturautkast"} – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const id = idParam(params.id, false);
  const invoice = getInvoiceView(scope, id);
  invariantResponse(invoice, "Fakturan finns inte.");
  const document = invoiceDocument(scope, id);
  const internal = can(scope, "invoice.read.internal");
  const credit = invoice.kind === "invoice" ? creditNoteOf(id) : undefined;
  const credited = invoice.creditedInvoiceId ? getInvoiceView(scope, invoice.creditedInvoiceId) : undefined;
  return json({
    invoice,
    buyer: document ? document.buyer : null,
    payments: paymentsOf(id),
    reminders: internal ? remindersOf(id) : [],
    creditNote: credit ? { id: credit.id, number: credit.number } : null,
    creditedNumber: credited?.number ?? null,
    deliveries: internal ? deliveryLog(id) : [],
    canAct: INVOICE_ACTIONS.some((a) => can(scope, a)),
    staff: internal,
    today: todayIso(),
    // The issue confirmation of a draft (?issue=1&issueDate=&dueDate=): docs/invoices.md#dates.
    issueDates:
      can(scope, "invoice.issue") && invoice.state === "draft" && new URL(request.url).searchParams.has("issue")
        ? await issueDatesView(new URL(request.url).searchParams)
        : null,
  });
}

/** What the treasurer does on an invoice's page, one form each. */
const INVOICE_ACTIONS = [
  "payment.register",
  "invoice.credit",
  "invoice.issue",
  "invoice.remind",
  "invoice.send",
] as const satisfies readonly Action[];

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, INVOICE_ACTIONS);
  const id = idParam(params.id, false);
  const form = await readForm(request);
  switch (form.get("intent")) {
    case "payment": {
      const submission = parseSubmission(form, PaymentSchema);
      if (submission.status !== "success") return invalid(submission);
      try {
        registerPayment(scope, id, submission.value);
      } catch (error) {
        return rejected(submission, error);
      }
      return redirect(`/invoices/${id}?saved=payment`);
    }
    case "credit": {
      const submission = parseSubmission(form, CreditSchema);
      if (submission.status !== "success") return invalid(submission);
      try {
        const note = creditInvoice(scope, id, submission.value.reason);
        return redirect(`/invoices/${note.id}?saved=credit`);
      } catch (error) {
        return rejected(submission, error);
      }
    }
    case "issue": {
      // With the dates its confirmation showed (docs/invoices.md#dates).
      const submission = parseSubmission(form, IssueDatesSchema);
      if (submission.status !== "success") return invalid(submission);
      try {
        issueInvoice(scope, id, submission.value);
      } catch (error) {
        return rejected(submission, error);
      }
      return redirect(`/invoices/${id}?saved=issued`);
    }
    case "reminder": {
      const submission = formSubmission(form);
      try {
        // Recorded once, then sent by the member's channel (docs/delivery.md); the PDF link downloads that same one.
        const reminder = recordReminder(scope, id);
        const report = await sendReminder(scope, id, reminder.id);
        return redirect(`/invoices/${id}?saved=reminder-${report.status}`);
      } catch (error) {
        return rejected(submission, error);
      }
    }
    case "send": {
      const submission = parseSubmission(form, SendFormSchema);
      if (submission.status !== "success") return invalid(submission);
      try {
        const report = await sendInvoice(scope, id, { resend: submission.value.resend });
        return redirect(`/invoices/${id}?saved=send-${report.status}`);
      } catch (error) {
        return rejected(submission, error);
      }
    }
    default:
      return unknownIntent(formSubmission(form));
  }
}

const savedText: Record<string, string> = {
  payment: "Betalningen är registrerad.",
  credit: "Kreditfakturan är utfärdad och ursprungsfakturan krediterad.",
  issued: "Fakturan är utfärdad.",
  "send-sent": "Fakturan är skickad till medlemmen.",
  "send-skipped": "Fakturan skickades inte: se utskicksloggen.",
  "reminder-sent": "Påminnelsen är skickad till medlemmen.",
  "reminder-skipped": "Påminnelsen skickades inte: se utskicksloggen.",
};
const failedText: Record<string, string> = {
  "send-failed": "Fakturan kunde inte skickas: se felet i utskicksloggen och försök igen.",
  "reminder-failed": "Påminnelsen kunde inte skickas: se felet i utskicksloggen.",
};

export default function InvoicePage() {
  const {
    invoice: inv,
    buyer,
    payments,
    reminders,
    deliveries,
    creditNote,
    creditedNumber,
    canAct,
    staff,
    today,
    issueDates,
  } = useLoaderData<typeof loader>();
  const isCredit = inv.kind === "credit_note";
  const actionData = useActionData<typeof action>();
  const paymentResult = resultFor(actionData, { intent: "payment" });
  const creditResult = resultFor(actionData, { intent: "credit" });
  const [paymentForm, paymentFields] = useAppForm<Record<string, string>>({
    id: `payment-${payments.length}`,
    lastResult: paymentResult,
    defaultValue: { amount: oreToInput(inv.balance), paidOn: today },
  });
  const [creditForm, creditFields] = useAppForm<Record<string, string>>({ id: "credit", lastResult: creditResult });
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const title =
    inv.kind === "credit_note" ? `Kreditfaktura ${inv.number}` : inv.number ? `Faktura ${inv.number}` : "Fakturautkast";
  return (
    <>
      <p className="small">
        <Link to="/invoices">← Fakturor</Link>
        {inv.runId && staff ? (
          <>
            {" · "}
            <Link to={`/billing/runs/${inv.runId}`}>Körning {inv.runId}</Link>
          </>
        ) : null}
      </p>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="lead">
            {inv.memberName} · {inv.year} ·{" "}
            <span
              className={`badge ${inv.status === "paid" ? "badge-ok" : inv.overdue ? "badge-bad" : ""}`}
              data-testid="invoice-status"
            >
              {invoiceStatusLabel[inv.status]}
              {inv.overdue ? ", förfallen" : ""}
            </span>
          </p>
        </div>
        <div className="actions">
          {inv.number ? (
            <a className="btn btn-secondary" href={`/invoices/${inv.id}/pdf`}>
              PDF
            </a>
          ) : null}
          {inv.number ? (
            <a className="btn btn-secondary" href={`/invoices/${inv.id}/ubl`} download>
              E-faktura (XML)
            </a>
          ) : null}
          {canAct && inv.overdue ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reminder" />
              <button className="btn btn-secondary" type="submit">
                Skicka påminnelse
              </button>
            </Form>
          ) : null}
          {canAct && inv.state === "draft" && !params.has("issue") ? (
            <Link className="btn" to="?issue=1">
              Utfärda fakturan…
            </Link>
          ) : null}
        </div>
      </div>
      {saved && savedText[saved] ? <Notice kind="success">{savedText[saved]}</Notice> : null}
      {saved && failedText[saved] ? (
        <p className="alert alert-error" role="alert">
          {failedText[saved]}
        </p>
      ) : null}
      <FormErrors result={resultFor(actionData)} />
      {canAct && inv.state === "draft" && params.has("issue") ? (
        <IssueConfirm
          count={1}
          total={inv.totalOre}
          view={issueDates}
          actionResult={resultFor(actionData, { intent: "issue" })}
          hasSettings={issueDates !== null}
          hidden={{ intent: "issue" }}
          keep="issue"
        />
      ) : null}

      <section className="card">
        <dl className="facts">
          <dt>Fakturanummer</dt>
          <dd data-testid="invoice-number">{inv.number ?? "– (utkast)"}</dd>
          <dt>Fakturadatum</dt>
          <dd>{inv.issueDate ?? "–"}</dd>
          {/* A credit note is not paid: no due date or OCR to show for it. */}
          {isCredit ? null : (
            <>
              <dt>Förfallodatum</dt>
              <dd>{inv.dueDate ?? "–"}</dd>
              <dt>OCR</dt>
              <dd data-testid="invoice-ocr">{inv.ocr ?? "–"}</dd>
            </>
          )}
          {buyer ? (
            <>
              <dt>Köpare</dt>
              <dd>
                {buyer.name}, {buyer.address.street}, {buyer.address.postalCode} {buyer.address.city}
              </dd>
              <dt>Er referens</dt>
              <dd>{buyer.reference || "–"}</dd>
            </>
          ) : null}
          {inv.creditedInvoiceId ? (
            <>
              <dt>Krediterar</dt>
              <dd>
                <Link to={`/invoices/${inv.creditedInvoiceId}`}>faktura {creditedNumber ?? ""}</Link>:{" "}
                {inv.creditReason}
              </dd>
            </>
          ) : null}
          {creditNote ? (
            <>
              <dt>Krediterad av</dt>
              <dd>
                <Link to={`/invoices/${creditNote.id}`}>kreditfaktura {creditNote.number}</Link>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <div className="table-wrap">
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">Beskrivning</th>
              <th scope="col">Underlag</th>
              <th scope="col" className="num">
                Belopp
              </th>
              <th scope="col" className="num">
                Moms
              </th>
            </tr>
          </thead>
          <tbody>
            {inv.lines.map((l) => (
              <tr key={l.id}>
                <td data-label="Beskrivning">
                  <span>
                    {l.description} <span className="muted small">{chargeKindLabel[l.chargeKind]}</span>
                  </span>
                </td>
                <td className="small" data-label="Underlag">
                  {l.shareBasis
                    ? `${l.shareBasis.projectCode}: budget ${formatSek(l.shareBasis.budget)}, ${l.shareBasis.participantCount} deltagare${
                        l.shareBasis.population !== null
                          ? `, ${formatInteger(l.shareBasis.population)} invånare (${l.shareBasis.populationYear})`
                          : ""
                      }${l.shareBasis.weight ? `, vikt ${l.shareBasis.weight}` : ""}`
                    : l.feeBasis
                      ? `${l.feeBasis.overrideNote ? overrideText(l.feeBasis.overrideNote) : `Avgiftsklass ${bracketText(l.feeBasis.bracket, l.feeBasis.range)}`}${
                          l.feeBasis.population !== null
                            ? `, ${formatInteger(l.feeBasis.population)} invånare (${l.feeBasis.populationYear})`
                            : ""
                        }`
                      : ""}
                </td>
                <td className="num" data-label="Belopp">
                  {formatSek(l.amount)}
                </td>
                <td className="num" data-label="Moms">
                  {l.vatRate} % {formatSek(l.vat)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={2}>
                {isCredit ? "Krediterat belopp" : "Totalt att betala"} (moms {formatSek(inv.vatOre)})
              </td>
              <td className="num" colSpan={2} data-testid="invoice-total">
                {formatSek(inv.totalOre)}
              </td>
            </tr>
            {inv.kind === "invoice" && inv.state !== "draft" && inv.credited > 0 ? (
              <tr data-testid="adjustment-credit">
                <td colSpan={2}>Avgår: kreditfakturor av justeringar</td>
                <td className="num" colSpan={2}>
                  −{formatSek(inv.credited)}
                </td>
              </tr>
            ) : null}
            {inv.kind === "invoice" && inv.state !== "draft" ? (
              <tr>
                <td colSpan={2}>Betalt / kvar att betala</td>
                <td className="num" colSpan={2}>
                  {formatSek(inv.paid)} / {formatSek(inv.balance)}
                </td>
              </tr>
            ) : null}
          </tfoot>
        </table>
      </div>

      {staff && inv.state !== "draft" ? (
        <DeliveryLog invoiceId={inv.id} deliveries={deliveries} canSend={canAct} />
      ) : null}

      {inv.kind === "invoice" && inv.state !== "draft" ? (
        <div className="grid-2" style={{ marginTop: 16 }}>
          <section className="card" aria-labelledby="pay-h">
            <h2 id="pay-h" style={{ marginTop: 0 }}>
              Betalningar
            </h2>
            {payments.length === 0 ? <p className="muted">Inga betalningar registrerade.</p> : null}
            <ul>
              {payments.map((p) => (
                <li key={p.id}>
                  {p.paidOn}: {formatSek(p.amountOre)}
                  {p.note ? ` – ${p.note}` : ""}
                </li>
              ))}
            </ul>
            {reminders.length > 0 ? (
              <p className="small muted">
                Påminnelser: {reminders.map((r) => `${r.sentOn} (ny förfallodag ${r.newDueDate})`).join(", ")} ·{" "}
                <a href={`/invoices/${inv.id}/reminder.pdf`}>senaste som PDF</a>
              </p>
            ) : null}
            {canAct && inv.balance > 0 ? (
              // Keyed by the payments so far: after a payment the form is a new one (no amount left in it to pay twice),
              // and the amount starts at what is still owed.
              <Form key={`pay-${payments.length}`} method="post" className="stack" {...formProps(paymentForm)}>
                <input type="hidden" name="intent" value="payment" />
                <div className="form-row">
                  <Field
                    field={paymentFields.amount}
                    label="Belopp, kr"
                    inputMode="decimal"
                    hint={`Kvar att betala: ${formatSek(inv.balance)}`}
                  />
                  <Field field={paymentFields.paidOn} label="Betalningsdag" type="date" size="s" />
                </div>
                <Field field={paymentFields.note} label="Anteckning (valfri)" size="l" />
                <div>
                  <button className="btn" type="submit">
                    Registrera betalning
                  </button>
                </div>
              </Form>
            ) : null}
          </section>
          {canAct && inv.state === "issued" ? (
            <section className="card" aria-labelledby="credit-h">
              <h2 id="credit-h" style={{ marginTop: 0 }}>
                Kreditera
              </h2>
              <p className="small muted">
                En utfärdad faktura ändras aldrig: en kreditfaktura med eget nummer tar ut den, och avgifterna kan
                faktureras på nytt.
              </p>
              {inv.paid > 0 ? (
                <p className="alert alert-warning small">
                  Fakturan har betalningar på {formatSek(inv.paid)}. Krediteras den får medlemmen ett tillgodohavande
                  som ni betalar tillbaka eller avräknar utanför Sambruk Admin.
                </p>
              ) : null}
              {/* Irreversible: the first click only opens the question with the reason field (works without JS). */}
              <ConfirmAction
                label="Kreditera fakturan…"
                question={`Kreditera faktura ${inv.number} på ${formatSek(inv.totalOre)}? En kreditfaktura med eget nummer ställs ut och kan inte tas tillbaka.`}
                confirmLabel="Ja, kreditera fakturan"
                hidden={{ intent: "credit" }}
                small={false}
                open={Boolean(creditResult?.error && Object.keys(creditResult.error).length > 0)}
                form={formProps(creditForm)}
              >
                <Field field={creditFields.reason} label="Skäl" size="l" />
              </ConfirmAction>
            </section>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
