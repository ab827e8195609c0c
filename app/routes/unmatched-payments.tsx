import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, Notice } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
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
  const scope = await requireRole(request, "treasurer", "admin");
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
  const scope = await requireRole(request, "treasurer", "admin");
  const form = await readForm(request);
  try {
    switch (form.get("intent")) {
      case "assign": {
        const parsed = parseForm(Row.merge(AssignUnmatchedSchema), form);
        if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
        const row = assignUnmatchedPayment(scope, parsed.data.id, parsed.data);
        return redirect(`/unmatched-payments?assigned=${row.invoiceId}`);
      }
      case "refund": {
        const parsed = parseForm(Row.merge(RefundUnmatchedSchema), form);
        if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
        refundUnmatchedPayment(scope, parsed.data.id, parsed.data);
        return redirect("/unmatched-payments?refunded=1");
      }
      default:
        return formError({ _: "Okänd åtgärd" }, {}, 400);
    }
  } catch (error) {
    return domainFormError(error, form);
  }
}

export default function UnmatchedPayments() {
  const { open, resolved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  // The errors belong to the row whose form was sent.
  const failedId = actionData && "values" in actionData ? Number(actionData.values.id) : null;
  const failedIntent = actionData && "values" in actionData ? actionData.values.intent : null;
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
      {failedId === null ? <FormErrors errors={actionData?.fieldErrors} /> : null}
      {open.length === 0 ? <p className="muted">Inget att hantera.</p> : null}
      {open.map((u) => {
        const errors = failedId === u.id ? actionData?.fieldErrors : undefined;
        const values = failedId === u.id && actionData && "values" in actionData ? actionData.values : undefined;
        return (
          <section key={u.id} className="card" aria-labelledby={`u-${u.id}`} data-testid={`unmatched-${u.id}`}>
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
            <FormErrors errors={errors?._ ? { _: errors._ } : null} />
            {u.amountOre > 0 ? (
              <Form method="post" className="form-row" noValidate>
                <input type="hidden" name="intent" value="assign" />
                <input type="hidden" name="id" value={u.id} />
                <Field
                  name="invoiceNumber"
                  label="Fakturanummer"
                  inputMode="numeric"
                  size="s"
                  errors={failedIntent === "assign" ? errors : undefined}
                  defaultValue={
                    values?.invoiceNumber ?? (u.invoiceNumber && u.reason !== "closed" ? String(u.invoiceNumber) : "")
                  }
                />
                <Field
                  name="amount"
                  label="Belopp (kr)"
                  inputMode="decimal"
                  size="s"
                  hint="Tomt: hela beloppet"
                  errors={failedIntent === "assign" ? errors : undefined}
                  defaultValue={values?.amount}
                />
                <button className="btn" type="submit">
                  Lägg på fakturan
                </button>
              </Form>
            ) : null}
            <Form method="post" className="form-row" noValidate style={{ marginTop: 10 }}>
              <input type="hidden" name="intent" value="refund" />
              <input type="hidden" name="id" value={u.id} />
              <Field
                name="note"
                label={u.amountOre > 0 ? "Anteckning om återbetalningen" : "Anteckning om avdraget"}
                errors={failedIntent === "refund" ? errors : undefined}
                defaultValue={values?.note}
              />
              <button className="btn btn-secondary" type="submit">
                {u.amountOre > 0 ? "Markera som återbetald" : "Markera som hanterat"}
              </button>
            </Form>
          </section>
        );
      })}

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
