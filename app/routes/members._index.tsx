import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { bracketLabel } from "~/lib/i18n";
import { requireUser } from "~/lib/auth.server";
import { yearFromQuery } from "~/lib/query";
import { memberTable, type MemberColumn } from "~/lib/member-table.server";
import { memberRowsHtml } from "~/components/member-rows";
import { SortableTh } from "~/components/sortable-th";
import { parseTableQuery, type TableSpec } from "~/lib/table";
import { can } from "../../billing/policy";

/** Every member on one page (about 300): the treasurer scans and searches the whole directory. */
const TABLE: TableSpec<MemberColumn> = {
  columns: ["name", "code", "population", "bracket", "fee"],
  defaultSort: "name",
  defaultDir: "asc",
  pageSize: null,
};

export const meta: MetaFunction = () => [{ title: "Medlemmar – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const kindParam = url.searchParams.get("kind");
  const statusParam = url.searchParams.get("status");
  const bracketParam = url.searchParams.get("bracket");
  const year = yearFromQuery(url.searchParams.get("year"));
  const kind = kindParam === "municipality" || kindParam === "organisation" ? kindParam : undefined;
  const status = statusParam === "active" || statusParam === "resigned" ? statusParam : undefined;
  const bracket = bracketParam && /^[a-z0-9_-]{1,40}$/i.test(bracketParam) ? bracketParam : undefined;
  const table = parseTableQuery(url.searchParams, TABLE);
  // Filtered and sorted once per query while the directory is unchanged (docs/ui.md#large-tables).
  const rows = memberTable({ q, kind, status, bracket, year }, table, TABLE);
  return json({
    canCreate: can(user, "member.create"),
    filters: { q, kind: kind ?? "", status: status ?? "", bracket: bracket ?? "", year },
    sort: { sort: table.sort, dir: table.dir },
    rows,
  });
}

export default function Members() {
  const { rows, filters, canCreate, sort } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Medlemmar</h1>
          <p className="lead">
            {rows.length} {rows.length === 1 ? "medlem" : "medlemmar"} · avgiftsklass och årsavgift för {filters.year}{" "}
            (invånare 31 dec {filters.year - 1})
          </p>
        </div>
        {canCreate ? (
          <div className="actions">
            <Link className="btn" to="/members/new">
              Ny medlem
            </Link>
          </div>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" onChange={(e) => submit(e.currentTarget, { replace: true })}>
        {/* Filtering keeps the sort the user chose. */}
        {sort.sort ? <input type="hidden" name="sort" value={sort.sort} /> : null}
        <input type="hidden" name="dir" value={sort.dir} />
        <div className="field field-search">
          <label htmlFor="q">Sök namn, kommunkod eller org.nr</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="t.ex. Göteborg eller 1480" />
        </div>
        <div className="field">
          <label htmlFor="kind">Typ</label>
          <select id="kind" name="kind" defaultValue={filters.kind}>
            <option value="">Alla</option>
            <option value="municipality">Kommuner</option>
            <option value="organisation">Organisationer</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filters.status}>
            <option value="">Alla</option>
            <option value="active">Aktiva</option>
            <option value="resigned">Utträdda</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="bracket">Avgiftsklass</label>
          <select id="bracket" name="bracket" defaultValue={filters.bracket}>
            <option value="">Alla</option>
            <option value="small">{bracketLabel.small}</option>
            <option value="medium">{bracketLabel.medium}</option>
            <option value="large">{bracketLabel.large}</option>
            <option value="override">{bracketLabel.override}</option>
          </select>
        </div>
        <div className="field field-s">
          <label htmlFor="year">År</label>
          <input id="year" name="year" type="number" min={2000} max={2100} defaultValue={filters.year} />
        </div>
        <div>
          <button type="submit" className="btn btn-secondary">
            Filtrera
          </button>
        </div>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <SortableTh column="name" {...sort}>
                Namn
              </SortableTh>
              <SortableTh column="code" {...sort}>
                Kommunkod
              </SortableTh>
              <th scope="col">Org.nr</th>
              <SortableTh column="population" className="num" firstDir="desc" {...sort}>
                Invånare {filters.year - 1}
              </SortableTh>
              <SortableTh column="bracket" {...sort}>
                Avgiftsklass {filters.year}
              </SortableTh>
              <SortableTh column="fee" className="num" firstDir="desc" {...sort}>
                Årsavgift {filters.year}
              </SortableTh>
              <th scope="col">Status</th>
            </tr>
          </thead>
          {/* One string of HTML rather than an element per cell (app/components/member-rows.ts): the largest page. */}
          <tbody dangerouslySetInnerHTML={{ __html: memberRowsHtml(rows, filters.year) }} />
        </table>
      </div>
      {rows.some((r) => r.population?.fallback) ? (
        <p className="muted small">
          * Invånarantalet för {filters.year - 1} saknas: den senast kända siffran används, året står inom parentes.
        </p>
      ) : null}
    </>
  );
}
