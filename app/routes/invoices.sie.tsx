import { currentYear } from "../../billing/dates";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { SiePeriodSchema } from "~/lib/bookkeeping-schemas";
import { formErrorsOf, formStatusOf, isFormError } from "~/lib/form-errors.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission } from "~/lib/forms.server";
import { sieExport } from "~/features/interchange/sie.server";

export const meta: MetaFunction = () => [{ title: "Bokföring (SIE) – Sambruk Admin" }];

/**
 * The SIE export page: choose a period (a GET form, so it works without JavaScript and the address can be
 * bookmarked), see what the file holds, download it. The file itself is /invoices/sie.si.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "invoice.export");
  const params = new URL(request.url).searchParams;
  const year = currentYear();
  const values = { from: params.get("from") ?? `${year}-01-01`, to: params.get("to") ?? `${year}-12-31` };
  // The period is a GET form: its reply has the same shape as an action's, with the status the page answers.
  const submission = parseSubmission(new URLSearchParams(values), SiePeriodSchema);
  if (submission.status !== "success") {
    const reply = invalid(submission);
    return json({ values, result: await reply.json(), summary: null, problem: null }, { status: reply.status });
  }
  try {
    const e = sieExport(scope, submission.value);
    const { bytes: _bytes, ...summary } = e;
    return json({ values, result: null, summary: { ...summary, size: e.bytes.length }, problem: null });
  } catch (error) {
    // A period the export cannot write (docs/sie.md) is a warning beside the form, not a field's message.
    if (!isFormError(error)) throw error;
    const { formErrors, fieldErrors } = formErrorsOf(error);
    const problem = [...formErrors, ...Object.values(fieldErrors).flat()].join(" ");
    return json({ values, result: null, summary: null, problem }, { status: formStatusOf(error) });
  }
}

export default function SieExportPage() {
  const { values, result, summary, problem } = useLoaderData<typeof loader>();
  const lastResult = resultFor(result);
  const [form, fields] = useAppForm<{ from: string; to: string }>({
    id: "sie-period",
    lastResult,
    defaultValue: values,
  });
  const query = new URLSearchParams(values).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Bokföring (SIE)</h1>
          <p className="lead">
            En SIE 4I-fil med en verifikation per faktura, kreditfaktura och betalning under perioden, för import i
            bokföringsprogrammet (Fortnox, Visma m.fl.). Kontona väljs under{" "}
            <Link to="/settings#bokforing-h">Inställningar</Link>.
          </p>
        </div>
      </div>
      <FormErrors result={lastResult} />
      {problem ? <Notice kind="warning">{problem}</Notice> : null}
      <Form method="get" className="card form-row" aria-label="Välj period" {...formProps(form, false)}>
        <Field field={fields.from} label="Från och med" placeholder="ÅÅÅÅ-MM-DD" size="s" />
        <Field field={fields.to} label="Till och med" placeholder="ÅÅÅÅ-MM-DD" size="s" />
        <div className="field">
          <button className="btn btn-secondary" type="submit">
            Visa period
          </button>
        </div>
      </Form>
      {summary ? (
        <section className="card" aria-labelledby="sie-h">
          <h2 id="sie-h" style={{ marginTop: 0 }}>
            {values.from} – {values.to}
          </h2>
          <dl className="facts">
            <dt>Fakturor</dt>
            <dd>{summary.invoices}</dd>
            <dt>Kreditfakturor</dt>
            <dd>{summary.creditNotes}</dd>
            <dt>Betalningar</dt>
            <dd>{summary.payments}</dd>
            <dt>Fakturerat inkl. moms (efter kreditering)</dt>
            <dd>{formatSek(summary.invoiced)}</dd>
            <dt>Inbetalt</dt>
            <dd>{formatSek(summary.paid)}</dd>
            <dt>Verifikationer i filen</dt>
            <dd>{summary.vouchers}</dd>
          </dl>
          <p>
            <a className="btn" href={`/invoices/sie.si?${query}`} download={summary.filename}>
              Hämta SIE-filen ({summary.filename})
            </a>
          </p>
        </section>
      ) : null}
    </>
  );
}
