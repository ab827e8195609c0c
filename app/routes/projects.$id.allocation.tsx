import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatInteger, formatSek, sumOre } from "../../billing/money";
import { AllocationChart, chartBars } from "~/components/allocation-chart";
import { allocationRowsHtml } from "~/components/allocation-rows";
import { requireUser } from "~/lib/auth.server";
import { idParam, pageErrorOf } from "~/lib/http.server";
import { allocationKeyLabel, projectStatusLabel } from "~/lib/i18n";
import { yearFromQuery } from "~/lib/query";
import { currentYear } from "../../billing/dates";
import { allocationView } from "~/features/projects/allocation-view.server";
import { usesPopulation } from "../../billing/allocation";
import { can } from "../../billing/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Fördelning ${data.year}: ${data.project.code} – Sambruk Admin` : "Fördelning – Sambruk Admin" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id, false);
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"), currentYear());
  try {
    return json({ ...allocationView(id, year), ownMemberId: can(user, "project.join") ? user.memberId : null });
  } catch (error) {
    throw pageErrorOf(error);
  }
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
            {/* One string of HTML rather than an element per cell (app/components/allocation-rows.ts). */}
            <tbody
              dangerouslySetInnerHTML={{
                __html: allocationRowsHtml(rows, { year, byPopulation, fixed, hasParts, ownMemberId }),
              }}
            />
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
