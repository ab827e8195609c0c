import { currentYear } from "../../billing/dates";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, Notice } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { SiePeriodSchema } from "~/lib/bookkeeping-schemas";
import { DomainError, zodFieldErrors } from "~/lib/http.server";
import { sieExport } from "~/features/interchange/sie.server";

export const meta: MetaFunction = () => [{ title: "Bokföring (SIE) – Sambruk Admin" }];

/**
 * The SIE export page: choose a period (a GET form, so it works without JavaScript and the address can be
 * bookmarked), see what the file holds, download it. The file itself is /invoices/sie.si.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const params = new URL(request.url).searchParams;
  const year = currentYear();
  const values = { from: params.get("from") ?? `${year}-01-01`, to: params.get("to") ?? `${year}-12-31` };
  const parsed = SiePeriodSchema.safeParse(values);
  if (!parsed.success)
    return json({ values, errors: zodFieldErrors(parsed.error), summary: null, problem: null }, { status: 422 });
  try {
    const e = sieExport(parsed.data);
    const { bytes: _bytes, ...summary } = e;
    return json({ values, errors: null, summary: { ...summary, size: e.bytes.length }, problem: null });
  } catch (error) {
    if (error instanceof DomainError)
      return json({ values, errors: null, summary: null, problem: error.message }, { status: error.status });
    throw error;
  }
}

export default function SieExportPage() {
  const { values, errors, summary, problem } = useLoaderData<typeof loader>();
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
      <FormErrors errors={errors} />
      {problem ? <Notice kind="warning">{problem}</Notice> : null}
      <Form method="get" className="card form-row" aria-label="Välj period">
        <Field
          name="from"
          label="Från och med"
          errors={errors}
          defaultValue={values.from}
          placeholder="ÅÅÅÅ-MM-DD"
          size="s"
        />
        <Field
          name="to"
          label="Till och med"
          errors={errors}
          defaultValue={values.to}
          placeholder="ÅÅÅÅ-MM-DD"
          size="s"
        />
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
