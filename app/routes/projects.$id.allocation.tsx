import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatInteger, formatSek, sumOre } from "../../billing/money";
import { AllocationChart, chartBars } from "~/components/allocation-chart";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { allocationKeyLabel, projectStatusLabel } from "~/lib/i18n";
import { yearFromQuery } from "~/lib/query";
import { asPageError } from "~/features/projects/errors.server";
import { currentYear } from "../../billing/dates";
import { percentOf } from "../../billing/project-year";
import { projectAllocation } from "~/features/projects/allocation.server";
import { projectDetail } from "~/features/projects/queries.server";
import { sortByName } from "~/features/projects/json.server";
import { usesPopulation } from "../../billing/allocation";
import { splitBasePlusPerCapita } from "../../billing/allocation-parts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Fördelning ${data.year}: ${data.project.code} – Sambruk Admin` : "Fördelning – Sambruk Admin" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id, false);
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"), currentYear());
  let allocation;
  try {
    allocation = projectAllocation(id, year);
  } catch (error) {
    throw asPageError(error);
  }
  const years = new Set(projectDetail(id)!.budgets.map((b) => b.year));
  years.add(year);
  const budget = allocation.budget;
  // The base and per-capita parts beside each share (docs/allocation.md): only when every share is computed.
  const shares = allocation.rows
    .filter((r) => r.share !== null)
    .map((r) => ({ memberId: r.memberId, share: r.share! }));
  const parts =
    allocation.project.allocationKey === "base_plus_per_capita" &&
    allocation.ok &&
    budget !== null &&
    allocation.project.basePercent !== null &&
    shares.length === allocation.rows.length
      ? new Map(splitBasePlusPerCapita(budget, allocation.project.basePercent, shares).map((p) => [p.memberId, p]))
      : null;
  return json({
    hasParts: parts !== null,
    project: allocation.project,
    year,
    years: [...years].sort((a, b) => a - b),
    budget,
    ok: allocation.ok,
    errors: allocation.errors,
    totalPopulation: allocation.totalPopulation,
    totalWeight: allocation.totalWeight,
    ownMemberId: user.role === "member" ? user.memberId : null,
    rows: sortByName(allocation.rows).map((r) => ({
      memberId: r.memberId,
      memberName: r.memberName,
      municipalityCode: r.municipalityCode,
      basis: r.basis,
      weight: r.weight,
      share: r.share,
      basePart: parts?.get(r.memberId)?.base ?? null,
      perCapitaPart: parts?.get(r.memberId)?.perCapita ?? null,
      percent: r.share !== null && budget !== null ? percentOf(r.share, budget) : null,
      missing: allocation.errors.some((e) => e.memberId === r.memberId),
    })),
  });
}

const sv = (decimal: string) => decimal.replace(".", ",");

export default function AllocationPage() {
  const data = useLoaderData<typeof loader>();
  const { project, year, years, budget, ok, errors, rows, totalPopulation, totalWeight, ownMemberId, hasParts } = data;
  const byPopulation = usesPopulation(project.allocationKey);
  const fixed = project.allocationKey === "fixed";
  const anyFallback = rows.some((r) => r.basis?.fallback);
  const total = ok ? sumOre(rows.map((r) => r.share ?? 0)) : null;
  const bars =
    ok && budget !== null
      ? chartBars(
          rows.map((r) => ({
            label: r.memberName,
            value: r.share ?? 0,
            valueText: `${formatSek(r.share ?? 0)}${r.percent !== null ? ` (${sv(r.percent)} %)` : ""}`,
            highlight: r.memberId === ownMemberId,
          })),
          20,
          (count, value) => formatSek(value),
        )
      : [];
  const largest = bars[0];
  const csvHref = `/projects/${project.id}/allocation.csv?year=${year}`;
  return (
    <>
      <p className="small">
        <Link to="/projects">Projekt</Link> ›{" "}
        <Link to={`/projects/${project.id}`}>
          {project.code} {project.name}
        </Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            Fördelning {year}: {project.code} {project.name}
          </h1>
          <p className="lead">
            {allocationKeyLabel[project.allocationKey]}
            {project.basePercent !== null
              ? ` – ${sv(project.basePercent)} % av budgeten delas lika, resten per invånare`
              : ""}{" "}
            · {projectStatusLabel[project.status]}
          </p>
        </div>
        <Form method="get" className="actions" aria-label="Välj år">
          <div className="field" style={{ minWidth: 110 }}>
            <label htmlFor="f-year">År</label>
            <select id="f-year" name="year" defaultValue={String(year)}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-secondary" style={{ alignSelf: "flex-end" }}>
            Visa
          </button>
          {ok && budget !== null ? (
            <a className="btn btn-secondary" style={{ alignSelf: "flex-end" }} href={csvHref} download>
              Ladda ner CSV
            </a>
          ) : null}
        </Form>
      </div>

      <div className="stats">
        <div className="stat">
          <div className="label">Budget {year}</div>
          <div className="value">{budget === null ? "–" : formatSek(budget)}</div>
        </div>
        <div className="stat">
          <div className="label">Deltagare {year}</div>
          <div className="value">{rows.length}</div>
        </div>
        {byPopulation ? (
          <div className="stat">
            <div className="label">Invånare (underlag 31 dec {year - 1})</div>
            <div className="value">{totalPopulation === null ? "–" : formatInteger(totalPopulation)}</div>
          </div>
        ) : null}
        {fixed ? (
          <div className="stat">
            <div className="label">Summa vikter</div>
            <div className="value">{totalWeight === null ? "–" : sv(totalWeight)}</div>
          </div>
        ) : null}
      </div>

      {budget === null ? (
        <div className="alert alert-info" role="status">
          <p>
            {project.code} har ingen budget för {year}. Deltagarna för året visas nedan; andelarna räknas fram när
            styrelsen satt en budget.
          </p>
        </div>
      ) : !ok ? (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>Fördelningen för {year} kan inte beräknas.</strong> Varje andel beror på alla deltagares underlag,
            så inget belopp visas förrän detta är rättat:
          </p>
          <ul>
            {errors.map((e) => (
              <li key={`${e.memberId}-${e.message}`}>
                {e.message}
                {e.memberId !== null ? (
                  <>
                    {" "}
                    – <Link to={`/members/${e.memberId}`}>öppna medlemmen</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {bars.length > 0 ? (
        <AllocationChart
          title={`Fördelning av ${project.code} ${project.name} ${year}`}
          description={
            `Stapeldiagram över ${rows.length} deltagares andelar av budgeten ${formatSek(budget!)}` +
            (largest ? `; störst är ${largest.label} med ${largest.valueText}` : "") +
            ". Alla belopp finns i tabellen nedan."
          }
          bars={bars}
        />
      ) : null}

      {rows.length === 0 ? (
        <p className="card">Inga medlemmar deltar i projektet {year}.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              Andelar {year} per deltagare{budget !== null ? `, budget ${formatSek(budget)}` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Medlem</th>
                <th scope="col">Kommunkod</th>
                {byPopulation ? (
                  <th scope="col" className="num">
                    Invånare (år)
                  </th>
                ) : null}
                {fixed ? (
                  <th scope="col" className="num">
                    Vikt
                  </th>
                ) : null}
                {hasParts ? (
                  <>
                    <th scope="col" className="num">
                      Grunddel
                    </th>
                    <th scope="col" className="num">
                      Per invånare
                    </th>
                  </>
                ) : null}
                <th scope="col" className="num">
                  Andel
                </th>
                <th scope="col" className="num">
                  Andel av budgeten
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.memberId} style={r.memberId === ownMemberId ? { background: "#fff8e6" } : undefined}>
                  <th
                    scope="row"
                    style={{
                      background: "none",
                      fontSize: "inherit",
                      fontWeight: r.memberId === ownMemberId ? 600 : 400,
                    }}
                  >
                    <Link to={`/members/${r.memberId}`}>{r.memberName}</Link>
                    {r.memberId === ownMemberId ? <span className="muted small"> (ni)</span> : null}
                  </th>
                  <td>{r.municipalityCode ?? <span className="muted">–</span>}</td>
                  {byPopulation ? (
                    <td className="num">
                      {r.basis ? (
                        <>
                          {`${formatInteger(r.basis.population)} (${r.basis.year})`}
                          {r.basis.fallback ? (
                            <>
                              {" "}
                              <span className="badge badge-warn">{`äldre uppgift: ${year - 1} saknas*`}</span>
                            </>
                          ) : null}
                        </>
                      ) : (
                        <span className="badge badge-bad">saknas</span>
                      )}
                    </td>
                  ) : null}
                  {fixed ? (
                    <td className="num">{r.weight ? sv(r.weight) : <span className="badge badge-bad">saknas</span>}</td>
                  ) : null}
                  {hasParts ? (
                    <>
                      <td className="num">{formatSek(r.basePart ?? 0)}</td>
                      <td className="num">{formatSek(r.perCapitaPart ?? 0)}</td>
                    </>
                  ) : null}
                  <td className="num">{r.share === null ? <span className="muted">–</span> : formatSek(r.share)}</td>
                  <td className="num">
                    {r.percent === null ? <span className="muted">–</span> : `${sv(r.percent)} %`}
                  </td>
                </tr>
              ))}
            </tbody>
            {ok && budget !== null ? (
              <tfoot>
                <tr>
                  <th scope="row" style={{ background: "#f4f6f9", fontSize: "inherit" }}>
                    Summa
                  </th>
                  <td />
                  {byPopulation ? (
                    <td className="num">{totalPopulation === null ? "" : formatInteger(totalPopulation)}</td>
                  ) : null}
                  {fixed ? <td className="num">{totalWeight === null ? "" : sv(totalWeight)}</td> : null}
                  {hasParts ? (
                    <>
                      <td className="num">{formatSek(sumOre(rows.map((r) => r.basePart ?? 0)))}</td>
                      <td className="num">{formatSek(sumOre(rows.map((r) => r.perCapitaPart ?? 0)))}</td>
                    </>
                  ) : null}
                  <td className="num">{formatSek(total!)}</td>
                  <td className="num">{budget === 0 ? "–" : "100,00 %"}</td>
                </tr>
              </tfoot>
            ) : null}
          </table>
        </div>
      )}
      {anyFallback ? (
        <p className="small muted">
          * Underlaget är invånarantalet den 31 december {year - 1}. För de markerade medlemmarna finns ingen siffra för{" "}
          {year - 1} registrerad, så den senast kända äldre siffran används (dess år står inom parentes).
        </p>
      ) : null}
      {hasParts ? (
        <p className="small muted">
          Grunddelen är {project.basePercent !== null ? sv(project.basePercent) : ""} % av budgeten delat lika och
          avrundat nedåt till helt öre; delen per invånare är resten av andelen. Avrundningsören ligger därför i delen
          per invånare, som kan skilja sig högst ett par öre från sitt exakta värde. Grunddel + per invånare = andel,
          exakt.
        </p>
      ) : null}
      <p className="small muted">
        Andelarna avrundas till hela ören med största-rest-metoden så att de tillsammans blir exakt budgeten; vid lika
        rest går öret till lägst kommunkod.
      </p>
    </>
  );
}
