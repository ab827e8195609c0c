import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { Field, FormErrors, formProps, useAppForm } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { InvoiceQuerySchema, type InvoiceQuery } from "~/lib/billing-schemas";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission } from "~/lib/forms.server";
import { countOf, deliveryStateLabel, invoiceStatusLabel } from "~/lib/i18n";
import { Pager, SortableTh } from "~/components/sortable-th";
import { parseTableQuery } from "~/lib/table";
import { INVOICE_TABLE, OVERDUE_DEFAULT, listInvoicePage, type InvoiceColumn } from "~/features/invoices/list.server";
import { listMembersJson } from "~/features/members/json.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Fakturor – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const url = new URL(request.url);
  const submission = parseSubmission(url.searchParams, InvoiceQuerySchema);
  const query: InvoiceQuery = submission.status === "success" ? submission.value : {};
  // The overdue list defaults to the oldest debt first; the other lists keep the use case's order.
  const spec =
    query.overdue && !url.searchParams.has("sort")
      ? { ...INVOICE_TABLE, defaultSort: OVERDUE_DEFAULT.sort, defaultDir: OVERDUE_DEFAULT.dir }
      : INVOICE_TABLE;
  const table = parseTableQuery(url.searchParams, spec);
  const staff = can(scope, "invoice.read.internal");
  const page = listInvoicePage(scope, query, table, {
    delivery: staff,
    unsent: staff && url.searchParams.get("unsent") === "1",
  });
  return json({
    query: Object.fromEntries(url.searchParams),
    // The filters are a GET form: a wrong one is said above the list, the year also at its input.
    result:
      submission.status === "success"
        ? null
        : await invalid(submission, {
            hidden: ["memberId", "status", "overdue", "unsent", "sort", "dir", "page"],
          }).json(),
    staff,
    members: staff ? listMembersJson(scope).map((m) => ({ id: m.id, name: m.name })) : [],
    sort: { sort: table.sort, dir: table.dir },
    overdueView: query.overdue === true,
    page: { page: page.page, pages: page.pages, total: page.total, from: page.from, to: page.to },
    totalOre: page.totalOre,
    balanceOre: page.balanceOre,
    invoices: page.rows.map((v) => ({
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
      daysOverdue: v.daysOverdue,
      reminderDates: v.reminderDates,
      delivery: v.delivery,
    })),
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["invoices"][number];

/**
 * The list's columns, in order: a header (sortable when it names a sort column) and a cell. A new column (e.g.
 * delivery) is one more entry here; `when` hides a column outside the list it belongs to.
 */
interface Column {
  key: string;
  header: string;
  sort?: InvoiceColumn;
  num?: boolean;
  /** Dates and amounts never break inside the value. */
  nowrap?: boolean;
  firstDir?: "asc" | "desc";
  when?: (ctx: { overdueView: boolean; staff: boolean }) => boolean;
  cell: (i: Row) => React.ReactNode;
}

const COLUMNS: Column[] = [
  {
    key: "number",
    header: "Nummer",
    sort: "number",
    cell: (i) => (
      <>
        <Link to={`/invoices/${i.id}`}>{i.number ?? "utkast"}</Link>
        {i.kind === "credit_note" ? <span className="muted small"> kredit</span> : null}
      </>
    ),
  },
  // A member's contact person sees only its own invoices: the member column would repeat its own name.
  { key: "member", header: "Medlem", sort: "member", when: (ctx) => ctx.staff, cell: (i) => i.memberName },
  { key: "year", header: "År", sort: "year", cell: (i) => i.year },
  { key: "issueDate", header: "Fakturadatum", nowrap: true, sort: "issueDate", cell: (i) => i.issueDate ?? "–" },
  { key: "dueDate", header: "Förfaller", nowrap: true, sort: "dueDate", cell: (i) => i.dueDate ?? "–" },
  {
    key: "daysOverdue",
    header: "Dagar förfallen",
    sort: "daysOverdue",
    num: true,
    firstDir: "desc",
    when: (ctx) => ctx.overdueView,
    cell: (i) => (i.daysOverdue === null ? "–" : i.daysOverdue),
  },
  {
    key: "reminded",
    header: "Påmind",
    nowrap: true,
    when: (ctx) => ctx.overdueView,
    cell: (i) => (i.reminderDates.length ? i.reminderDates.join(", ") : <span className="muted">nej</span>),
  },
  {
    key: "status",
    header: "Status",
    sort: "status",
    cell: (i) => (
      <>
        {invoiceStatusLabel[i.status]}
        {i.overdue ? <span className="badge badge-bad"> förfallen</span> : null}
      </>
    ),
  },
  {
    key: "delivery",
    header: "Utskick",
    when: (ctx) => ctx.staff,
    cell: (i) =>
      i.delivery ? (
        <span
          data-testid="delivery-state"
          className={i.delivery === "failed" ? "badge badge-bad" : i.delivery === "sent" ? "" : "badge"}
        >
          {deliveryStateLabel[i.delivery]}
        </span>
      ) : (
        "–"
      ),
  },
  { key: "total", header: "Belopp", sort: "total", num: true, firstDir: "desc", cell: (i) => formatSek(i.total) },
  { key: "balance", header: "Kvar", sort: "balance", num: true, firstDir: "desc", cell: (i) => formatSek(i.balance) },
];

export default function Invoices() {
  const { query, result, staff, members, invoices, sort, page, overdueView, totalOre, balanceOre } =
    useLoaderData<typeof loader>();
  const filterResult = resultFor(result);
  const [filterForm, filterFields] = useAppForm<{ year: string }>({
    id: "invoice-filter",
    lastResult: filterResult,
    defaultValue: { year: query.year ?? "" },
  });
  const columns = COLUMNS.filter((c) => !c.when || c.when({ overdueView, staff }));
  const csv = new URLSearchParams(query as Record<string, string>).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Fakturor</h1>
          <p className="lead">
            {countOf(page.total, "faktura", "fakturor")} · belopp {formatSek(totalOre)} · att betala{" "}
            {formatSek(balanceOre)}
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
      <FormErrors result={filterResult} />
      <Form method="get" className="form-row" aria-label="Filtrera fakturor" {...formProps(filterForm, false)}>
        {/* Filtering keeps the sort the user chose and starts again at page 1. */}
        {sort.sort ? <input type="hidden" name="sort" value={sort.sort} /> : null}
        {sort.sort ? <input type="hidden" name="dir" value={sort.dir} /> : null}
        <Field field={filterFields.year} label="År" inputMode="numeric" size="s" />
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
        <table className="stack">
          <thead>
            <tr>
              {columns.map((c) =>
                c.sort ? (
                  <SortableTh
                    key={c.key}
                    column={c.sort}
                    className={c.num ? "num" : undefined}
                    firstDir={c.firstDir}
                    {...sort}
                  >
                    {c.header}
                  </SortableTh>
                ) : (
                  <th key={c.key} scope="col" className={c.num ? "num" : undefined}>
                    {c.header}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {invoices.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="muted">
                  Inga fakturor.
                </td>
              </tr>
            ) : null}
            {invoices.map((i) => (
              <tr key={i.id}>
                {columns.map((c) => (
                  <td
                    key={c.key}
                    data-label={c.header}
                    className={[c.num ? "num" : "", c.nowrap ? "nowrap" : ""].join(" ").trim() || undefined}
                  >
                    {c.cell(i)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {page.total > 0 ? (
            <tfoot>
              <tr className="total-row">
                <th scope="row" colSpan={columns.findIndex((c) => c.key === "total")}>
                  Summa, {countOf(page.total, "faktura", "fakturor")}
                  {page.pages > 1 ? " (alla sidor)" : ""}
                </th>
                <td className="num" data-label="Belopp">
                  {formatSek(totalOre)}
                </td>
                <td className="num" data-label="Kvar">
                  {formatSek(balanceOre)}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      <Pager page={page} label="Sidor i fakturalistan" />
    </>
  );
}
