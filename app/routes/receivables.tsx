import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { todayIso } from "../../billing/dates";
import { formatSek } from "../../billing/money";
import { AGING_BUCKETS } from "../../billing/receivables";
import { AllocationChart } from "~/components/allocation-chart";
import { Field, FormErrors, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission } from "~/lib/forms.server";
import { agingLabel } from "~/lib/i18n";
import { sortRows } from "~/lib/table";
import { ReceivablesQuerySchema } from "~/lib/payment-schemas";
import { receivables } from "~/features/receivables/queries.server";

export const meta: MetaFunction = () => [{ title: "Kundreskontra – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "receivables.read");
  const params = new URL(request.url).searchParams;
  // The day is a GET form: a wrong one is the form's reply, and the report is of today meanwhile.
  const submission = parseSubmission(params, ReceivablesQuerySchema);
  const date = submission.status === "success" && submission.value.date ? submission.value.date : todayIso();
  const result = submission.status === "success" ? null : await invalid(submission).json();
  const report = receivables(scope, date);
  // The page lists members by name, as the member list does (the API keeps member id order).
  const members = sortRows(report.members, (m) => m.name, "asc");
  return json({ report: { ...report, members }, result, date }, { status: result ? 422 : 200 });
}

export default function Receivables() {
  const { report, result, date } = useLoaderData<typeof loader>();
  const lastResult = resultFor(result);
  const [form, fields] = useAppForm<{ date: string }>({ id: "receivables-day", lastResult, defaultValue: { date } });
  const { totals, members } = report;
  return (
    <>
      <h1>Kundreskontra</h1>
      <p className="lead">
        Vad medlemmarna är skyldiga föreningen en viss dag: fakturerat, betalt, krediterat och öppet, och det öppna
        efter ålder. Bara fakturor som utfärdats och betalningar som kommit in till och med dagen räknas.
      </p>
      <FormErrors result={lastResult} />
      <Form method="get" className="filters" {...formProps(form, false)}>
        <Field field={fields.date} label="Per dag" type="date" size="s" />
        <button className="btn" type="submit">
          Visa
        </button>
      </Form>

      <div className="stats">
        <div className="stat">
          <div className="label">Fakturerat</div>
          <div className="value">{formatSek(totals.invoiced)}</div>
        </div>
        <div className="stat">
          <div className="label">Betalt</div>
          <div className="value">{formatSek(totals.paid)}</div>
        </div>
        <div className="stat">
          <div className="label">Krediterat</div>
          <div className="value">{formatSek(totals.credited)}</div>
        </div>
        <div className="stat">
          <div className="label">Öppet</div>
          <div className="value" data-testid="open-total">
            {formatSek(totals.open)}
          </div>
        </div>
        <div className="stat">
          <div className="label">Förfallet</div>
          <div className="value">{formatSek(totals.overdue)}</div>
        </div>
      </div>

      <AllocationChart
        title={`Öppna fordringar efter ålder den ${report.date}`}
        description={AGING_BUCKETS.map((b) => `${agingLabel[b]}: ${formatSek(totals.aging[b])}`).join(", ")}
        bars={AGING_BUCKETS.map((b) => ({
          label: agingLabel[b],
          value: Math.max(0, totals.aging[b]),
          valueText: formatSek(totals.aging[b]),
          highlight: b !== "notDue",
        }))}
      />

      <h2>Per medlem</h2>
      {members.length === 0 ? (
        <p className="muted">Inga utfärdade fakturor den {report.date}.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Medlem</th>
                <th scope="col" className="num">
                  Fakturerat
                </th>
                <th scope="col" className="num">
                  Betalt
                </th>
                <th scope="col" className="num">
                  Krediterat
                </th>
                <th scope="col" className="num">
                  Öppet
                </th>
                <th scope="col" className="num">
                  Förfallet
                </th>
                {AGING_BUCKETS.map((b) => (
                  <th key={b} scope="col" className="num">
                    {agingLabel[b]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.memberId}>
                  <td className="name-cell">
                    <Link to={`/members/${m.memberId}`}>{m.name}</Link>
                  </td>
                  <td className="num">{formatSek(m.invoiced)}</td>
                  <td className="num">{formatSek(m.paid)}</td>
                  <td className="num">{formatSek(m.credited)}</td>
                  <td className="num">{formatSek(m.open)}</td>
                  <td className="num">{formatSek(m.overdue)}</td>
                  {AGING_BUCKETS.map((b) => (
                    <td key={b} className="num">
                      {m.aging[b] === 0 ? "" : formatSek(m.aging[b])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td>Summa</td>
                <td className="num">{formatSek(totals.invoiced)}</td>
                <td className="num">{formatSek(totals.paid)}</td>
                <td className="num">{formatSek(totals.credited)}</td>
                <td className="num">{formatSek(totals.open)}</td>
                <td className="num">{formatSek(totals.overdue)}</td>
                {AGING_BUCKETS.map((b) => (
                  <td key={b} className="num">
                    {formatSek(totals.aging[b])}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}
