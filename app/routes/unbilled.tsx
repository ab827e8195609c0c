import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CHARGE_KINDS } from "../../billing/invoice";
import { formatSek, sumOre } from "../../billing/money";
import { requirePermission } from "~/lib/auth.server";
import { chargeKindLabel } from "~/lib/i18n";
import { yearFromQuery } from "~/lib/query";
import { previewBillingRun } from "~/features/billing-runs/commands.server";
import { currentBillingYear } from "~/features/overview/queries.server";

export const meta: MetaFunction = () => [{ title: "Ofakturerat – Sambruk Admin" }];

/**
 * What is owed for a year but not yet invoiced, per charge kind, and what cannot be invoiced with the reason. It
 * is the preview of a billing run with every charge kind, so it lists exactly what such a run would bill.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "overview.read");
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"), currentBillingYear());
  const preview = previewBillingRun({ year, charges: [...CHARGE_KINDS] });
  const kinds = CHARGE_KINDS.map((kind) => ({
    kind,
    rows: preview.invoices.flatMap((inv) =>
      inv.lines
        .filter((l) => l.chargeKind === kind)
        .map((l) => ({
          memberId: inv.memberId,
          memberName: inv.memberName,
          description: l.description,
          amount: l.amount,
        })),
    ),
  }));
  return json({
    year,
    kinds,
    problems: preview.problems,
    alreadyInvoiced: preview.alreadyInvoiced,
    total: preview.total,
  });
}

export default function UnbilledPage() {
  const { year, kinds, problems, alreadyInvoiced } = useLoaderData<typeof loader>();
  const count = kinds.reduce((n, k) => n + k.rows.length, 0);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Ofakturerat {year}</h1>
          <p className="lead">
            {count === 0
              ? "Allt som kan faktureras för året är fakturerat."
              : count === 1
                ? "1 avgift eller andel är inte fakturerad."
                : `${count} avgifter och andelar är inte fakturerade.`}{" "}
            {alreadyInvoiced > 0
              ? alreadyInvoiced === 1
                ? "1 avgift eller andel är redan fakturerad."
                : `${alreadyInvoiced} avgifter och andelar är redan fakturerade.`
              : null}
          </p>
        </div>
        <div className="actions">
          <Form method="get" className="form-row" aria-label="Välj år">
            <div className="field field-s">
              <label htmlFor="u-year">År</label>
              <input id="u-year" name="year" inputMode="numeric" defaultValue={year} />
            </div>
            <button className="btn btn-secondary" type="submit">
              Visa
            </button>
          </Form>
          {count > 0 ? (
            <Link
              className="btn"
              to={`/billing?year=${year}&preview=1${CHARGE_KINDS.map((k) => `&charges=${k}`).join("")}`}
            >
              Förhandsgranska faktureringen
            </Link>
          ) : null}
        </div>
      </div>

      {problems.length > 0 ? (
        <section className="card" aria-labelledby="problems">
          <h2 id="problems" style={{ marginTop: 0 }}>
            Kan inte faktureras ({problems.length})
          </h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.memberId ? <Link to={`/members/${p.memberId}`}>{p.message}</Link> : p.message}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {kinds
        .filter((k) => k.rows.length > 0)
        .map((k) => (
          <section key={k.kind} aria-labelledby={`kind-${k.kind}`}>
            <h2 id={`kind-${k.kind}`}>
              {chargeKindLabel[k.kind as keyof typeof chargeKindLabel] ?? k.kind} ({k.rows.length})
            </h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Medlem</th>
                    <th scope="col">Avser</th>
                    <th scope="col" className="num">
                      Belopp
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {k.rows.map((r, i) => (
                    <tr key={`${r.memberId}-${i}`}>
                      <td>
                        <Link to={`/members/${r.memberId}`}>{r.memberName}</Link>
                      </td>
                      <td>{r.description}</td>
                      <td className="num">{formatSek(r.amount)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td colSpan={2}>Summa</td>
                    <td className="num">{formatSek(sumOre(k.rows.map((r) => r.amount)))}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </section>
        ))}
    </>
  );
}
