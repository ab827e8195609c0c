import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { isOneOf, MEMBER_KINDS, MEMBER_STATUSES } from "../../billing/enums";
import { OVERRIDE_BRACKET } from "../../billing/fees";
import { bracketText, kindPluralLabel, overrideBracketLabel, statusPluralLabel } from "~/lib/i18n";
import { requireUser } from "~/lib/auth.server";
import { yearFromQuery } from "~/lib/query";
import { bracketsOfYear } from "~/features/fees/queries.server";
import { SortableTh } from "~/components/sortable-th";
import { parseTableQuery, type TableSpec } from "~/lib/table";
import { memberTable, type MemberColumn } from "~/lib/member-table.server";
import { memberRowsHtml } from "~/components/member-rows";
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
  const kind = isOneOf(MEMBER_KINDS, kindParam) ? kindParam : undefined;
  const status = isOneOf(MEMBER_STATUSES, statusParam) ? statusParam : undefined;
  const bracket = bracketParam && /^[a-z0-9_-]{1,40}$/i.test(bracketParam) ? bracketParam : undefined;
  const table = parseTableQuery(url.searchParams, TABLE);
  // The brackets of the schedule in force in the year shown, with its boundaries (docs/fees.md#bracket-texts).
  const brackets = [
    ...bracketsOfYear(year).map((b) => ({ name: b.name, text: bracketText(b.name, b.range, b.label) })),
    { name: OVERRIDE_BRACKET, text: overrideBracketLabel },
  ];
  // Filtered and sorted once per query while the directory is unchanged (docs/ui.md#large-tables).
  const rows = memberTable(
    { q, kind, status, bracket, year },
    table,
    TABLE,
    brackets.map((b) => b.name),
  );
  return json({
    canCreate: can(user, "member.create"),
    filters: { q, kind: kind ?? "", status: status ?? "", bracket: bracket ?? "", year },
    sort: { sort: table.sort, dir: table.dir },
    brackets,
    rows,
  });
}

export default function Members() {
  const { rows, filters, canCreate, sort, brackets } = useLoaderData<typeof loader>();
  const bracketTexts = new Map(brackets.map((b) => [b.name, b.text]));
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
            {MEMBER_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindPluralLabel[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filters.status}>
            <option value="">Alla</option>
            {MEMBER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusPluralLabel[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bracket">Avgiftsklass</label>
          <select id="bracket" name="bracket" defaultValue={filters.bracket}>
            <option value="">Alla</option>
            {brackets.map((b) => (
              <option key={b.name} value={b.name}>
                {b.text}
              </option>
            ))}
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
          <tbody dangerouslySetInnerHTML={{ __html: memberRowsHtml(rows, filters.year, bracketTexts) }} />
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
