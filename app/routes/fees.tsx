import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatInteger, formatSek } from "../../billing/money";
import { bracketLabel, countOf } from "~/lib/i18n";
import { requirePermission } from "~/lib/auth.server";
import { yearFromQuery } from "~/lib/query";
import { feesOverview } from "~/features/fees/queries.server";

export const meta: MetaFunction = () => [{ title: "Avgifter – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "fees.read.all");
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"));
  const o = feesOverview(scope, year);
  return json({
    year,
    totals: o.totals,
    annualTotal: o.annualTotal,
    entryTotal: o.entryTotal,
    rows: o.rows.map((r) => ({
      id: r.member.id,
      name: r.member.name,
      code: r.member.municipalityCode,
      joinedThisYear: r.due.entryFee,
      fees: r.fees,
    })),
  });
}

export default function Fees() {
  const { year, totals, annualTotal, entryTotal, rows } = useLoaderData<typeof loader>();
  const problems = rows.filter((r) => !r.fees.ok);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Avgifter {year}</h1>
          <p className="lead">
            Årsavgift för alla medlemmar under {year}, medlemsinsats för dem som trädde in {year}. Underlag: invånare 31
            dec {year - 1}.
          </p>
        </div>
        <Form method="get" className="actions">
          <label htmlFor="year">År</label>
          <input id="year" name="year" type="number" min={2000} max={2100} defaultValue={year} style={{ width: 90 }} />
          <button className="btn btn-secondary" type="submit">
            Visa
          </button>
        </Form>
      </div>
      <div className="stats">
        <div className="stat">
          <div className="label">Årsavgifter {year}</div>
          <div className="value" data-testid="annual-total">
            {formatSek(annualTotal)}
          </div>
        </div>
        <div className="stat">
          <div className="label">Medlemsinsatser {year}</div>
          <div className="value">{formatSek(entryTotal)}</div>
        </div>
        <div className="stat">
          <div className="label">Medlemmar {year}</div>
          <div className="value">{rows.length}</div>
        </div>
      </div>
      <h2>Per avgiftsklass</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Avgiftsklass</th>
              <th scope="col" className="num">
                Medlemmar
              </th>
              <th scope="col" className="num">
                Årsavgifter
              </th>
              <th scope="col" className="num">
                Medlemsinsatser
              </th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.bracket}>
                <td>
                  {bracketLabel[t.bracket] ?? t.bracket} <span className="muted small">{t.label}</span>
                </td>
                <td className="num">{t.members}</td>
                <td className="num">{formatSek(t.annualFees)}</td>
                <td className="num">{formatSek(t.entryFees)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>Totalt</td>
              <td className="num">{totals.reduce((n, t) => n + t.members, 0)}</td>
              <td className="num">{formatSek(annualTotal)}</td>
              <td className="num">{formatSek(entryTotal)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {problems.length > 0 ? (
        <div className="alert alert-warning" style={{ marginTop: 16 }}>
          <p>
            <strong>{countOf(problems.length, "medlem kan", "medlemmar kan")} inte debiteras:</strong>
          </p>
          <ul>
            {problems.map((r) => (
              <li key={r.id}>
                <Link to={`/members/${r.id}`}>{r.name}</Link>: {r.fees.ok ? "" : r.fees.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2>Per medlem</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Medlem</th>
              <th scope="col" className="num">
                Invånare (år)
              </th>
              <th scope="col">Klass</th>
              <th scope="col" className="num">
                Årsavgift
              </th>
              <th scope="col" className="num">
                Medlemsinsats
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/members/${r.id}?year=${year}`}>{r.name}</Link>{" "}
                  <span className="muted small">{r.code}</span>
                </td>
                <td className="num">
                  {r.fees.ok && r.fees.basis ? (
                    <>
                      {formatInteger(r.fees.basis.population)} ({r.fees.basis.year}
                      {r.fees.basis.fallback ? ", äldre" : ""})
                    </>
                  ) : (
                    "–"
                  )}
                </td>
                <td>
                  {r.fees.ok ? (
                    r.fees.bracket ? (
                      (bracketLabel[r.fees.bracket.name] ?? r.fees.bracket.name)
                    ) : (
                      bracketLabel.override
                    )
                  ) : (
                    <span className="badge badge-bad">kan inte debiteras</span>
                  )}
                  {r.fees.ok && r.fees.override ? (
                    <div className="muted small">Styrelsebeslut: {r.fees.override.note}</div>
                  ) : null}
                </td>
                <td className="num">{r.fees.ok ? formatSek(r.fees.annualFee) : "–"}</td>
                <td className="num">{r.fees.ok && r.joinedThisYear ? formatSek(r.fees.entryFee) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
