import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { FormErrors, Notice } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { z } from "zod";
import { resultFor } from "~/lib/forms";
import { formSubmission, invalid, parseSubmission, rejected, unknownIntent } from "~/lib/forms.server";
import { idParam, readForm } from "~/lib/http.server";
import { integer } from "~/lib/schemas";
import type { MatchKind } from "../../billing/enums";
import { countOf, fileStatusLabel, matchLabel } from "~/lib/i18n";
import { invariantResponse } from "~/lib/invariant.server";
import { applyPaymentFile } from "~/features/payments/bank-file-apply.server";
import { paymentFilePreview } from "~/features/payments/bank-files.server";
const matchBadge: Record<MatchKind, string> = {
  exact: "badge-ok",
  partial: "badge-warn",
  over: "badge-warn",
  closed: "badge-bad",
  unknown: "badge-bad",
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Fil ${data?.preview.id ?? ""} – inbetalningar – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "payment.read");
  const preview = paymentFilePreview(scope, idParam(params.id, false));
  invariantResponse(preview, "Filen finns inte.");
  return json({ preview });
}

/** What the confirmation showed as going to invoices, in öre: applying refuses if it is no longer so. */
const ConfirmSchema = z.object({
  confirmedApplied: integer("Det bekräftade beloppet", { min: 0, max: Number.MAX_SAFE_INTEGER }),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "payment-file.apply");
  const id = idParam(params.id, false);
  const form = await readForm(request);
  if (form.get("intent") !== "apply") return unknownIntent(formSubmission(form));
  // The confirmed amount is a hidden input: a message about it is the page's.
  const options = { hidden: ["confirmedApplied"] };
  const submission = parseSubmission(form, ConfirmSchema);
  if (submission.status !== "success") return invalid(submission, options);
  try {
    applyPaymentFile(scope, id, { applied: submission.value.confirmedApplied });
    return redirect(`/payment-files/${id}?applied=1`);
  } catch (error) {
    return rejected(submission, error, options);
  }
}

export default function PaymentFilePage() {
  const { preview } = useLoaderData<typeof loader>();
  const result = resultFor(useActionData<typeof action>());
  const [params] = useSearchParams();
  const confirming = params.has("confirm") && preview.status === "preview";
  return (
    <>
      <p className="small">
        <Link to="/payment-files">← Inbetalningar från banken</Link>
      </p>
      <div className="page-head">
        <div>
          <h1 style={{ marginBottom: 4 }}>
            Fil {preview.id}
            {preview.fileName ? ` (${preview.fileName})` : ""}
          </h1>
          <span className={`badge ${preview.status === "applied" ? "badge-ok" : "badge-warn"}`}>
            {fileStatusLabel[preview.status]}
          </span>
        </div>
        {preview.status === "preview" && !confirming ? (
          <Link className="btn" to="?confirm=1">
            Läs in betalningarna…
          </Link>
        ) : null}
      </div>
      {params.get("applied") ? (
        <Notice kind="success">
          Filen är inläst: {countOf(preview.applied.count, "betalning", "betalningar")} på fakturor (
          {formatSek(preview.applied.amount)}), {countOf(preview.unmatched.count, "ej matchad", "ej matchade")} (
          {formatSek(preview.unmatched.amount)}).{" "}
          {preview.unmatched.count > 0 ? <Link to="/unmatched-payments">Hantera de ej matchade</Link> : null}
        </Notice>
      ) : null}
      <FormErrors result={result} />
      {confirming ? (
        <section className="card alert-warning" aria-labelledby="confirm-h" data-testid="confirm-apply">
          <h2 id="confirm-h" style={{ marginTop: 0 }}>
            Läsa in {countOf(preview.payments.length, "betalning", "betalningar")}?
          </h2>
          <p>
            {formatSek(preview.applied.amount)} registreras som betalningar på fakturor och{" "}
            {formatSek(preview.unmatched.amount)} sparas som ej matchade betalningar att hantera för hand. Samma fil kan
            inte läsas in igen.
          </p>
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="apply" />
            <input type="hidden" name="confirmedApplied" value={preview.applied.amount} />
            <button className="btn" type="submit">
              Ja, läs in filen
            </button>
            <Link className="btn btn-secondary" to=".">
              Avbryt
            </Link>
          </Form>
        </section>
      ) : null}

      <div className="stats">
        <div className="stat">
          <div className="label">Filens summa</div>
          <div className="value">{formatSek(preview.total)}</div>
        </div>
        <div className="stat">
          <div className="label">{preview.status === "applied" ? "Bokat på fakturor" : "Till fakturor"}</div>
          <div className="value">{formatSek(preview.applied.amount)}</div>
        </div>
        <div className="stat">
          <div className="label">Ej matchat</div>
          <div className="value">{formatSek(preview.unmatched.amount)}</div>
        </div>
      </div>
      <p className="small muted">
        {preview.deposits
          .map(
            (d) =>
              `Insättning ${d.paymentDate}: ${countOf(d.count, "betalning", "betalningar")}, ${formatSek(d.total)}`,
          )
          .join(" · ")}
      </p>

      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Rad</th>
              <th>Betalare</th>
              <th>Referens</th>
              <th className="num">Belopp</th>
              <th>Datum</th>
              <th>Matchning</th>
              <th>Faktura</th>
              <th className="num">Ej matchat</th>
            </tr>
          </thead>
          <tbody>
            {preview.payments.map((p) => (
              <tr key={p.line}>
                <td>{p.line}</td>
                <td>{p.payer || <span className="muted">–</span>}</td>
                <td style={{ wordBreak: "break-all" }}>
                  {p.reference || <span className="muted">ingen</span>}
                  {p.extraReferences.length > 0 ? (
                    <div className="small muted">även {p.extraReferences.join(", ")}</div>
                  ) : null}
                </td>
                <td className="num">
                  {formatSek(p.amount)}
                  {p.kind === "deduction" ? <div className="small muted">avdrag</div> : null}
                </td>
                <td className="nowrap">{p.paidOn}</td>
                <td>
                  <span className={`badge ${matchBadge[p.match]}`}>{matchLabel[p.match]}</span>
                </td>
                <td>
                  {p.allocations.length > 0 ? (
                    p.allocations.map((a) => (
                      <div key={a.invoiceId} className="nowrap">
                        <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber}</Link> {formatSek(a.amount)}
                      </div>
                    ))
                  ) : p.invoiceId !== null ? (
                    <Link to={`/invoices/${p.invoiceId}`}>{p.invoiceNumber}</Link>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="num">{p.unmatched !== 0 ? formatSek(p.unmatched) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
