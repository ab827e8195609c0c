import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatSek, sumOre } from "../../billing/money";
import { FormErrors } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { InvoiceQuerySchema, type InvoiceQuery } from "~/lib/billing-schemas";
import { zodFieldErrors } from "~/lib/http.server";
import { countOf, deliveryStateLabel, invoiceStatusLabel } from "~/lib/i18n";
import { listInvoiceViews } from "~/services/billing.server";
import { deliveryStates } from "~/services/delivery.server";
import type { DeliveryState } from "../../billing/delivery";
import { listMembersJson } from "~/services/members.server";

export const meta: MetaFunction = () => [{ title: "Fakturor – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const url = new URL(request.url);
  const parsed = InvoiceQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  const query: InvoiceQuery = parsed.success ? parsed.data : {};
  const staff = scope.role !== "member";
  // Delivery (docs/delivery.md): staff see whether each issued invoice has gone out, and may list the unsent only.
  const unsent = staff && url.searchParams.get("unsent") === "1";
  const all = listInvoiceViews(scope, query);
  const delivery = staff ? deliveryStates(all.filter((v) => v.state !== "draft").map((v) => v.id)) : new Map<number, DeliveryState>();
  const invoices = unsent ? all.filter((v) => v.state === "issued" && delivery.get(v.id) !== "sent") : all;
  return json({
    query: Object.fromEntries(url.searchParams),
    errors: parsed.success ? null : zodFieldErrors(parsed.error),
    staff,
    members: staff ? listMembersJson(scope).map((m) => ({ id: m.id, name: m.name })) : [],
    invoices: invoices.map((v) => ({
      id: v.id,
      kind: v.kind,
      number: v.number,
      memberName: v.memberName,
      year: v.year,
      issueDate: v.issueDate,
      dueDate: v.dueDate,
      status: v.status,
      overdue: v.overdue,
      total: v.totalOre,
      balance: v.balance,
      delivery: v.state === "draft" ? null : delivery.get(v.id) ?? null,
    })),
  });
}

export default function Invoices() {
  const { query, errors, staff, members, invoices } = useLoaderData<typeof loader>();
  const csv = new URLSearchParams(query as Record<string, string>).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Fakturor</h1>
          <p className="lead">
            {countOf(invoices.length, "faktura", "fakturor")} · att betala {formatSek(sumOre(invoices.map((i) => i.balance)))}
          </p>
        </div>
        {staff ? (
          <div className="actions">
            <a className="btn btn-secondary" href={`/invoices.csv${csv ? `?${csv}` : ""}`}>
              Exportera CSV
            </a>
            <Link className="btn btn-secondary" to="/invoices/sie">
              Bokföring (SIE)
            </Link>
          </div>
        ) : null}
      </div>
      <FormErrors errors={errors} />
      <Form method="get" className="form-row" aria-label="Filtrera fakturor">
        <div className="field field-s">
          <label htmlFor="f-year">År</label>
          <input id="f-year" name="year" inputMode="numeric" defaultValue={query.year ?? ""} />
        </div>
        {staff ? (
          <div className="field">
            <label htmlFor="f-member">Medlem</label>
            <select id="f-member" name="memberId" defaultValue={query.memberId ?? ""}>
              <option value="">Alla</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Alla</option>
            {Object.entries(invoiceStatusLabel)
              .filter(([k]) => staff || k !== "draft")
              .map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
          </select>
        </div>
        <label>
          <input type="checkbox" name="overdue" value="1" defaultChecked={query.overdue === "1"} /> Bara förfallna
        </label>
        {staff ? (
          <label>
            <input type="checkbox" name="unsent" value="1" defaultChecked={query.unsent === "1"} /> Bara ej skickade
          </label>
        ) : null}
        <div>
          <button className="btn btn-secondary" type="submit">
            Visa
          </button>
        </div>
      </Form>
      <div className="table-wrap" style={{ marginTop: 12 }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Nummer</th>
              <th scope="col">Medlem</th>
              <th scope="col">År</th>
              <th scope="col">Fakturadatum</th>
              <th scope="col">Förfaller</th>
              <th scope="col">Status</th>
              {staff ? <th scope="col">Utskick</th> : null}
              <th scope="col" className="num">
                Belopp
              </th>
              <th scope="col" className="num">
                Kvar
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.length === 0 ? (
              <tr>
                <td colSpan={staff ? 9 : 8} className="muted">
                  Inga fakturor.
                </td>
              </tr>
            ) : null}
            {invoices.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/invoices/${i.id}`}>{i.number ?? "utkast"}</Link>
                  {i.kind === "credit_note" ? <span className="muted small"> kredit</span> : null}
                </td>
                <td>{i.memberName}</td>
                <td>{i.year}</td>
                <td>{i.issueDate ?? "–"}</td>
                <td>{i.dueDate ?? "–"}</td>
                <td>
                  {invoiceStatusLabel[i.status]}
                  {i.overdue ? <span className="badge badge-bad"> förfallen</span> : null}
                </td>
                {staff ? (
                  <td data-testid="delivery-state">
                    {i.delivery ? (
                      <span className={i.delivery === "failed" ? "badge badge-bad" : i.delivery === "sent" ? "" : "badge"}>{deliveryStateLabel[i.delivery]}</span>
                    ) : (
                      "–"
                    )}
                  </td>
                ) : null}
                <td className="num">{formatSek(i.total)}</td>
                <td className="num">{formatSek(i.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
