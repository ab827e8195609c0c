import { Link } from "@remix-run/react";
import { formatSek } from "../../billing/money";
import type { StatementEntry } from "../../billing/receivables";
import { invoiceKindLabel } from "~/lib/i18n";

/*
 * A member's account statement (kontoutdrag): its invoices, credit notes and payments by date with the running
 * balance (docs/receivables.md). Shown to the member's own users and to staff on the member's page.
 */

const kindLabel: Record<StatementEntry["kind"], string> = { ...invoiceKindLabel, payment: "Betalning" };

export function AccountStatement({ statement }: { statement: { date: string; entries: StatementEntry[] } }) {
  const { entries, date } = statement;
  const balance = entries.at(-1)?.balance ?? 0;
  return (
    <section className="card" aria-labelledby="statement-h" data-testid="account-statement">
      <h2 id="statement-h" style={{ marginTop: 0 }}>
        Kontoutdrag
      </h2>
      {entries.length === 0 ? (
        <p className="muted">Inga fakturor eller betalningar.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Datum</th>
                <th scope="col">Händelse</th>
                <th scope="col" className="num">
                  Belopp
                </th>
                <th scope="col" className="num">
                  Saldo
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <tr key={i}>
                  <td className="nowrap">{e.date}</td>
                  <td>
                    {kindLabel[e.kind]} <Link to={`/invoices/${e.invoiceId}`}>{e.number}</Link>
                  </td>
                  <td className="num">{formatSek(e.amount)}</td>
                  <td className="num">{formatSek(e.balance)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={3}>
                  {balance < 0 ? "Tillgodo" : "Att betala"} den {date}
                </td>
                <td className="num">{formatSek(Math.abs(balance))}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
