import { Form, Link } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, formProps, useAppForm } from "~/components/form";
import type { FormResult } from "~/lib/forms";
import { countOf } from "~/lib/i18n";
import type { IssueDatesView } from "~/features/invoices/issue-dates.server";

/*
 * The confirmation before issuing (a run's drafts or one draft) with the dates the invoices get
 * (docs/invoices.md#dates). Works without JavaScript: the date form is a GET that shows the confirmation again with
 * the chosen dates (or a message per field, docs/ui.md#forms); the confirm button posts exactly the dates shown.
 */

export function IssueConfirm({
  count,
  total,
  view,
  actionResult,
  hasSettings,
  hidden,
  keep,
}: {
  count: number;
  total: number;
  view: IssueDatesView | null;
  /** The issue's own reply when it was refused for its dates (its messages go to the date fields). */
  actionResult?: FormResult;
  hasSettings: boolean;
  /** Hidden fields of the confirm form (the intent). */
  hidden: Record<string, string>;
  /** The query parameter that opens this confirmation (kept by the date form). */
  keep: string;
}) {
  const what = countOf(count, "faktura", "fakturor");
  const refusedDates = Boolean(actionResult?.error?.issueDate || actionResult?.error?.dueDate);
  const lastResult = (refusedDates ? actionResult : undefined) ?? view?.result ?? undefined;
  const dates = view && !lastResult ? view.dates : null;
  const [form, fields] = useAppForm<{ issueDate: string; dueDate: string }>({
    id: "issue-dates",
    lastResult,
    defaultValue: view?.chosen,
  });
  return (
    <section className="card alert-warning" aria-labelledby="confirm-h" data-testid="confirm-issue">
      <h2 id="confirm-h" style={{ marginTop: 0 }}>
        Utfärda {what}?
      </h2>
      <p>
        {count === 1 ? "Fakturan på " : `${count} fakturor på sammanlagt `}
        <strong>{formatSek(total)}</strong> får nummer
        {dates ? `, fakturadatum ${dates.issueDate === view?.today ? "i dag" : dates.issueDate} ` : " "}och OCR-nummer.
        Utfärdade fakturor kan inte ändras, bara krediteras. Att skicka dem är nästa steg.
      </p>
      {!hasSettings || !view ? (
        <p className="alert alert-error">
          Föreningens uppgifter saknas: fyll i dem under <Link to="/settings">Inställningar</Link> först.
        </p>
      ) : null}
      {dates ? (
        <dl className="facts" data-testid="issue-dates" style={{ marginBottom: 12 }}>
          <dt>Fakturadatum</dt>
          <dd>
            {dates.issueDate}
            {dates.issueDate === view?.today ? " (i dag)" : ""}
          </dd>
          <dt>Förfallodatum</dt>
          <dd>
            {dates.dueDate} ({countOf(dates.termsDays, "dag", "dagar")} efter fakturadatum)
          </dd>
        </dl>
      ) : null}
      {dates ? (
        <Form method="post" className="actions">
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="issueDate" value={dates.issueDate} />
          <input type="hidden" name="dueDate" value={dates.dueDate} />
          <button className="btn" type="submit">
            Ja, utfärda {what}
          </button>
          <Link className="btn btn-secondary" to=".">
            Avbryt
          </Link>
        </Form>
      ) : (
        <p className="actions">
          <Link className="btn btn-secondary" to=".">
            Avbryt
          </Link>
        </p>
      )}
      {view ? (
        <Form method="get" style={{ marginTop: 12 }} {...formProps(form)}>
          <fieldset>
            <legend>Andra datum</legend>
            {refusedDates ? null : <FormErrors result={view.result ?? undefined} />}
            <input type="hidden" name={keep} value="1" />
            <div className="form-row" style={{ alignItems: "flex-start" }}>
              <Field
                field={fields.issueDate}
                label="Fakturadatum"
                type="date"
                size="s"
                hint={
                  view.latest && view.latest.issueDate > view.today
                    ? `Tidigast ${view.earliest}: faktura ${view.latest.number} har det datumet`
                    : "I dag eller senare, t.ex. 15 januari för nästa års avgifter"
                }
              />
              <Field
                field={fields.dueDate}
                label="Förfallodatum"
                type="date"
                size="s"
                hint={`Tomt: fakturadatum + ${view.paymentTermsDays} dagar (betalningsvillkoret)`}
              />
              <div style={{ paddingTop: 25 }}>
                <button className="btn btn-secondary" type="submit">
                  Visa med dessa datum
                </button>
              </div>
            </div>
          </fieldset>
        </Form>
      ) : null}
    </section>
  );
}
