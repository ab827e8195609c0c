import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor, type FormResult } from "~/lib/forms";
import { formSubmission, invalid, parseSubmission, rejected, unknownIntent } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { matchLabel, unmatchedStatusLabel } from "~/lib/payment-labels";
import { AssignUnmatchedSchema, RefundUnmatchedSchema } from "~/lib/payment-schemas";
import { integer } from "~/lib/schemas";
import {
  assignUnmatchedPayment,
  listUnmatchedPayments,
  refundUnmatchedPayment,
} from "~/features/payments/unmatched.server";

export const meta: MetaFunction = () => [{ title: "Ej matchade betalningar – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "payment.read");
  const all = listUnmatchedPayments(scope);
  return json({
    open: all.filter((u) => u.status === "open"),
    resolved: all
      .filter((u) => u.status !== "open")
      .reverse()
      .slice(0, 50),
  });
}

const Row = z.object({ id: integer("Betalningen", { min: 1 }) });

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, ["unmatched-payment.assign", "unmatched-payment.refund"]);
  const form = await readForm(request);
  // The row's id is a hidden input: a message about it is the row's, not a field's.
  const refs = { hidden: ["id"] };
  switch (form.get("intent")) {
    case "assign": {
      const submission = parseSubmission(form, Row.merge(AssignUnmatchedSchema));
      if (submission.status !== "success") return invalid(submission, refs);
      try {
        const row = assignUnmatchedPayment(scope, submission.value.id, submission.value);
        return redirect(`/unmatched-payments?assigned=${row.invoiceId}`);
      } catch (error) {
        return rejected(submission, error, refs);
      }
    }
    case "refund": {
      const submission = parseSubmission(form, Row.merge(RefundUnmatchedSchema));
      if (submission.status !== "success") return invalid(submission, refs);
      try {
        refundUnmatchedPayment(scope, submission.value.id, submission.value);
        return redirect("/unmatched-payments?refunded=1");
      } catch (error) {
        return rejected(submission, error, refs);
      }
    }
    default:
      return unknownIntent(formSubmission(form));
  }
}

export default function UnmatchedPayments() {
  const { open, resolved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  // The errors belong to the row whose form was sent; a reply for no row (an unknown intent) is shown above.
  const rowIds = new Set(open.map((u) => String(u.id)));
  const result = resultFor(actionData);
  const forRow = result && rowIds.has(String(result.initialValue?.id)) ? result : undefined;
  return (
    <>
      <p className="small">
        <Link to="/payment-files">← Inbetalningar från banken</Link>
      </p>
      <h1>Ej matchade betalningar</h1>
      <p className="lead">
        Pengar från banken som inte kunde läggas på en faktura: okänd referens, mer än fakturans saldo, en betald eller
        krediterad faktura, eller ett avdrag. Lägg betalningen (eller en del av den) på rätt faktura, eller markera den
        som återbetald när pengarna gått tillbaka.
      </p>
      {params.get("assigned") ? (
        <Notice kind="success">
          Betalningen är registrerad på <Link to={`/invoices/${params.get("assigned")}`}>fakturan</Link>.
        </Notice>
      ) : null}
      {params.get("refunded") ? <Notice kind="success">Betalningen är markerad som återbetald.</Notice> : null}
      {forRow ? null : <FormErrors result={result} />}
      {open.length === 0 ? <p className="muted">Inget att hantera.</p> : null}
      {open.map((u) => (
        <UnmatchedRow
          key={u.id}
          row={u}
          assignResult={resultFor(forRow, { intent: "assign", id: u.id })}
          refundResult={resultFor(forRow, { intent: "refund", id: u.id })}
        />
      ))}

      {resolved.length > 0 ? (
        <>
          <h2>Hanterade</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Datum</th>
                  <th>Betalare</th>
                  <th className="num">Belopp</th>
                  <th>Status</th>
                  <th>Anteckning</th>
                </tr>
              </thead>
              <tbody>
                {resolved.map((u) => (
                  <tr key={u.id}>
                    <td className="nowrap">{u.paidOn}</td>
                    <td>{u.payer || "–"}</td>
                    <td className="num">{formatSek(u.amountOre)}</td>
                    <td>
                      {unmatchedStatusLabel[u.status]}
                      {u.invoiceId && u.status === "assigned" ? (
                        <>
                          {" "}
                          <Link to={`/invoices/${u.invoiceId}`}>{u.invoiceNumber}</Link>
                        </>
                      ) : null}
                    </td>
                    <td>{u.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

type OpenRow = ReturnType<typeof useLoaderData<typeof loader>>["open"][number];

/** One open payment: its assign and refund forms, each marked by its own reply. */
function UnmatchedRow({
  row: u,
  assignResult,
  refundResult,
}: {
  row: OpenRow;
  assignResult?: FormResult;
  refundResult?: FormResult;
}) {
  const [assignForm, assignFields] = useAppForm<Record<string, string>>({
    id: `assign-${u.id}`,
    lastResult: assignResult,
    defaultValue: { invoiceNumber: u.invoiceNumber && u.reason !== "closed" ? String(u.invoiceNumber) : "" },
  });
  const [refundForm, refundFields] = useAppForm<Record<string, string>>({
    id: `refund-${u.id}`,
    lastResult: refundResult,
  });
  return (
    <section className="card" aria-labelledby={`u-${u.id}`} data-testid={`unmatched-${u.id}`}>
      <h2 id={`u-${u.id}`} style={{ marginTop: 0, fontSize: 18 }}>
        {formatSek(u.amountOre)} från {u.payer || "okänd betalare"} den {u.paidOn}
      </h2>
      <p className="small" style={{ wordBreak: "break-all" }}>
        Referens: {u.reference || "ingen"} · {matchLabel[u.reason]}
        {u.invoiceId ? (
          <>
            {" "}
            (<Link to={`/invoices/${u.invoiceId}`}>faktura {u.invoiceNumber}</Link>)
          </>
        ) : null}{" "}
        · <Link to={`/payment-files/${u.fileId}`}>fil {u.fileId}</Link>
      </p>
      <FormErrors result={assignResult ?? refundResult} />
      {u.amountOre > 0 ? (
        <Form method="post" className="form-row" {...formProps(assignForm)}>
          <input type="hidden" name="intent" value="assign" />
          <input type="hidden" name="id" value={u.id} />
          <Field field={assignFields.invoiceNumber} label="Fakturanummer" inputMode="numeric" size="s" />
          <Field
            field={assignFields.amount}
            label="Belopp (kr)"
            inputMode="decimal"
            size="s"
            hint="Tomt: hela beloppet"
          />
          <button className="btn" type="submit">
            Lägg på fakturan
          </button>
        </Form>
      ) : null}
      <Form method="post" className="form-row" style={{ marginTop: 10 }} {...formProps(refundForm)}>
        <input type="hidden" name="intent" value="refund" />
        <input type="hidden" name="id" value={u.id} />
        <Field
          field={refundFields.note}
          label={u.amountOre > 0 ? "Anteckning om återbetalningen" : "Anteckning om avdraget"}
        />
        <button className="btn btn-secondary" type="submit">
          {u.amountOre > 0 ? "Markera som återbetald" : "Markera som hanterat"}
        </button>
      </Form>
    </section>
  );
}
