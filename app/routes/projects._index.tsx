import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInteger, formatSek } from "../../billing/money";
import { requireUser } from "~/lib/auth.server";
import { allocationKeyLabel, projectStatusLabel } from "~/lib/i18n";
import { participationState } from "../../billing/membership";
import { projectList } from "~/features/projects/queries.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Projekt – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { year, years, rows } = projectList(user);
  return json({
    year,
    years,
    canCreate: can(user, "project.create"),
    showOverview: can(user, "project.money.read"),
    isMember: can(user, "project.join"),
    rows: rows.map((r) => ({
      id: r.project.id,
      code: r.project.code,
      name: r.project.name,
      status: r.project.status,
      allocationKey: r.project.allocationKey,
      basePercent: r.project.basePercent,
      participantCount: r.participantCount,
      budgetThisYear: r.budgetThisYear,
      own: r.own ? { ...r.own, state: participationState(r.own) } : null,
      cells: r.cells,
    })),
  });
}

const statusBadge = { planned: "badge", open: "badge badge-ok", closed: "badge badge-warn" } as const;

export default function Projects() {
  const { year, years, rows, canCreate, showOverview, isMember } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Projekt</h1>
          <p className="lead">
            {rows.length} projekt · kostnaderna delas mellan deltagarna enligt projektets fördelningsnyckel
          </p>
        </div>
        {canCreate ? (
          <div className="actions">
            <Link className="btn" to="/projects/new">
              Nytt projekt
            </Link>
          </div>
        ) : null}
      </div>

      {rows.length === 0 ? (
        <p className="card">Det finns inga projekt ännu.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Alla projekt</caption>
            <thead>
              <tr>
                <th scope="col">Kod</th>
                <th scope="col">Namn</th>
                <th scope="col">Status</th>
                <th scope="col">Fördelning</th>
                <th scope="col" className="num">
                  Deltagare {year}
                </th>
                <th scope="col" className="num">
                  Budget {year}
                </th>
                {isMember ? <th scope="col">Ert deltagande</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">
                    <Link to={`/projects/${r.id}`}>{r.code}</Link>
                  </td>
                  <td>
                    <Link to={`/projects/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>
                    <span className={statusBadge[r.status]}>{projectStatusLabel[r.status]}</span>
                  </td>
                  <td>
                    {allocationKeyLabel[r.allocationKey]}
                    {r.basePercent !== null ? (
                      <span className="muted small"> ({r.basePercent.replace(".", ",")} % grundbelopp)</span>
                    ) : null}
                  </td>
                  <td className="num">{r.participantCount}</td>
                  <td className="num">
                    {r.budgetThisYear === null ? <span className="muted">–</span> : formatSek(r.budgetThisYear)}
                  </td>
                  {isMember ? (
                    <td>
                      {r.own && r.own.state !== "ended" ? (
                        <span className="badge badge-ok">
                          {r.own.state === "leaving"
                            ? `Deltar t.o.m. ${r.own.leftOn}`
                            : r.own.state === "upcoming"
                              ? `Deltar från ${r.own.joinedOn}`
                              : "Deltar"}
                        </span>
                      ) : r.status === "open" ? (
                        <Link to={`/projects/${r.id}/join`} aria-label={`Gå med i ${r.code} ${r.name}`}>
                          Se er andel och gå med
                        </Link>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {showOverview && years.length > 0 ? (
        <>
          <h2>Budget och deltagare per år</h2>
          <p className="muted small">
            Invånare är deltagarnas befolkningsunderlag för året (invånare 31 december året före, annars senast kända).
            Välj ett belopp för att se fördelningen.
          </p>
          <div className="table-wrap">
            <table>
              <caption>Projekt och år: budget, antal deltagare och deras invånare</caption>
              <thead>
                <tr>
                  <th scope="col">Projekt</th>
                  {years.map((y) => (
                    <th key={y} scope="col" className="num">
                      {y}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" style={{ background: "none", fontWeight: 400, fontSize: "inherit" }}>
                      <Link to={`/projects/${r.id}`}>{r.code}</Link> <span className="muted small">{r.name}</span>
                    </th>
                    {years.map((y) => {
                      const c = r.cells.find((x) => x.year === y);
                      return (
                        <td key={y} className="num">
                          {c ? (
                            <>
                              <Link to={`/projects/${r.id}/allocation?year=${y}`}>{formatSek(c.budget)}</Link>
                              <div className="muted small">
                                {c.participantCount} deltagare · {formatInteger(c.totalPopulation)} inv.
                              </div>
                              {c.missingPopulation > 0 &&
                              (r.allocationKey === "per_capita" || r.allocationKey === "base_plus_per_capita") ? (
                                <div className="small">
                                  <span className="badge badge-bad">{c.missingPopulation} saknar invånarantal</span>
                                </div>
                              ) : null}
                            </>
                          ) : (
                            <span className="muted">–</span>
                          )}
                        </td>
                      );
                    })}
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
