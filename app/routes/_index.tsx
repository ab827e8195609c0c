import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import { YearChart, shortKronor } from "~/components/year-chart";
import { requireUser } from "~/lib/auth.server";
import { chargeKindLabel, countOf } from "~/lib/i18n";
import { yearFromQuery } from "~/lib/query";
import { currentBillingYear, overview } from "~/features/overview/queries.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Översikt – Sambruk Admin" }];

/**
 * Home. A member's contact person lands on its own organisation; the board and the treasurer on an overview of
 * the year whose every figure links to the list behind it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user, "overview.read")) throw redirect(user.memberId ? `/members/${user.memberId}` : "/members");
  const thisYear = currentBillingYear();
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"), thisYear);
  return json({ role: user.role, thisYear, ...overview(user, year) });
}

const SERIES = [
  { label: "Avgifter (fakturerat)", colour: "#1f4e79" },
  { label: "Projekt (fakturerat)", colour: "#5b9bd5" },
  { label: "Projektbudget", colour: "#c9a227" },
];

export default function Overview() {
  const d = useLoaderData<typeof loader>();
  const y = d.year;
  const unbilledLink = `/unbilled?year=${y}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Översikt {y}</h1>
          <p className="lead">Läget den {d.today}. Varje siffra leder till listan bakom den.</p>
        </div>
        <nav className="actions" aria-label="Välj år">
          <Link className="btn btn-secondary btn-small" to={`/?year=${y - 1}`}>
            ← {y - 1}
          </Link>
          {y !== d.thisYear ? (
            <Link className="btn btn-secondary btn-small" to="/">
              I år
            </Link>
          ) : null}
          <Link className="btn btn-secondary btn-small" to={`/?year=${y + 1}`}>
            {y + 1} →
          </Link>
        </nav>
      </div>

      <h2 id="ekonomi">Fakturerat för {y}</h2>
      <div className="stats" aria-labelledby="ekonomi">
        <Stat
          label="Fakturerat (netto efter kredit)"
          value={formatSek(d.figures.invoiced)}
          to={`/invoices?year=${y}`}
          sub={countOf(d.figures.invoiceCount, "faktura", "fakturor")}
        />
        <Stat label="Betalt" value={formatSek(d.figures.paid)} to={`/invoices?year=${y}&status=paid`} />
        <Stat label="Obetalt" value={formatSek(d.figures.open)} to={`/invoices?year=${y}`} />
        <Stat
          label="Ofakturerat"
          value={formatSek(d.unbilled.amount)}
          to={unbilledLink}
          sub={`${d.unbilled.count === 1 ? "1 avgift eller andel" : `${d.unbilled.count} avgifter och andelar`}${d.unbilled.problems.length ? ` · ${d.unbilled.problems.length} kan inte debiteras` : ""}`}
          alert={d.unbilled.count > 0 || d.unbilled.problems.length > 0}
        />
      </div>

      <h2 id="uppfoljning">Att följa upp</h2>
      <div className="stats" aria-labelledby="uppfoljning">
        <Stat
          label="Förfallna fakturor"
          value={`${d.overdue.count} st · ${formatSek(d.overdue.amount)}`}
          to="/invoices?overdue=1"
          sub={d.overdue.oldestDueDate ? `äldsta förföll ${d.overdue.oldestDueDate}` : "inga förfallna"}
          alert={d.overdue.count > 0}
        />
        <Stat
          label={`Ofakturerat ${y - 1}`}
          value={`${d.unbilledBefore.count} st · ${formatSek(d.unbilledBefore.amount)}`}
          to={`/unbilled?year=${y - 1}`}
          sub={
            d.unbilledBefore.problems.length
              ? `${d.unbilledBefore.problems.length} kan inte debiteras`
              : "avgifter och andelar"
          }
          alert={d.unbilledBefore.count > 0}
        />
        <Stat
          label="Utkast att granska"
          value={`${d.drafts} st`}
          to="/billing"
          sub="fakturor som inte är utfärdade"
          alert={d.drafts > 0}
        />
      </div>

      {d.unbilled.count > 0 ? (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Ofakturerat {y} per slag</h2>
          <ul>
            {d.unbilled.byKind
              .filter((k) => k.count > 0)
              .map((k) => (
                <li key={k.kind}>
                  {chargeKindLabel[k.kind as keyof typeof chargeKindLabel] ?? k.kind}: {k.count} st,{" "}
                  {formatSek(k.amount)}
                </li>
              ))}
          </ul>
          <Link to={unbilledLink}>Visa vad som är ofakturerat och varför</Link>
        </div>
      ) : null}

      <h2 id="per-ar">Avgifter och projektkostnader per år</h2>
      {d.booked.length === 0 ? (
        <p className="muted">Inget är fakturerat ännu.</p>
      ) : (
        <div className="grid-2">
          <div className="card">
            <YearChart
              title="Fakturerat per år"
              description="Avgifter och projektandelar fakturerade per år, netto efter kreditfakturor, bredvid årets projektbudgetar."
              series={SERIES}
              groups={d.booked.map((b) => ({
                year: b.year,
                values: [b.fees, b.projects, b.budgets],
                valueTexts: [shortKronor(b.fees), shortKronor(b.projects), shortKronor(b.budgets)],
              }))}
            />
          </div>
          <div className="table-wrap">
            <table>
              <caption>Fakturerat och budgeterat per år</caption>
              <thead>
                <tr>
                  <th scope="col">År</th>
                  <th scope="col" className="num">
                    Avgifter
                  </th>
                  <th scope="col" className="num">
                    Projekt
                  </th>
                  <th scope="col" className="num">
                    Projektbudget
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.booked.map((b) => (
                  <tr key={b.year}>
                    <th scope="row">
                      <Link to={`/invoices?year=${b.year}`}>{b.year}</Link>
                    </th>
                    <td className="num">{formatSek(b.fees)}</td>
                    <td className="num">{formatSek(b.projects)}</td>
                    <td className="num">{formatSek(b.budgets)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}

function Stat({
  label,
  value,
  to,
  sub,
  alert,
}: {
  label: string;
  value: string;
  to: string;
  sub?: string;
  alert?: boolean;
}) {
  return (
    <div className={`stat${alert ? " stat-alert" : ""}`}>
      <div className="label">{label}</div>
      <Link className="value" to={to}>
        {value}
      </Link>
      {sub ? <div className="sub">{sub}</div> : null}
    </div>
  );
}
