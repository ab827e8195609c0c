import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/auth.server";
import { readAudit } from "~/services/audit.server";

export const meta: MetaFunction = () => [{ title: "Ändringslogg – Sambruk Admin" }];

const PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const entity = (url.searchParams.get("entity") ?? "").slice(0, 40);
  const pageParam = Number(url.searchParams.get("page") ?? "1");
  const page = Number.isSafeInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  const rows = readAudit({ q: q || undefined, entity: entity || undefined, limit: PAGE + 1, offset: (page - 1) * PAGE });
  return json({ q, entity, page, hasMore: rows.length > PAGE, rows: rows.slice(0, PAGE) });
}

function Json({ value }: { value: string | null }) {
  if (!value) return <span className="muted">–</span>;
  let pretty = value;
  try {
    pretty = JSON.stringify(JSON.parse(value), null, 1);
  } catch {
    /* show as stored */
  }
  return <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap", maxWidth: 420, overflowWrap: "anywhere" }}>{pretty}</pre>;
}

export default function Audit() {
  const { rows, q, entity, page, hasMore } = useLoaderData<typeof loader>();
  const link = (p: number) => `?${new URLSearchParams({ q, entity, page: String(p) })}`;
  return (
    <>
      <h1>Ändringslogg</h1>
      <p className="lead">Varje ändring av användare, medlemmar, invånarantal, avgifter, projekt och fakturor: vem, när, före och efter.</p>
      <Form method="get" className="filters" role="search">
        <div className="field field-search">
          <label htmlFor="q">Sök (användare, åtgärd, innehåll)</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <div className="field">
          <label htmlFor="entity">Typ</label>
          <select id="entity" name="entity" defaultValue={entity}>
            <option value="">Alla</option>
            <option value="member">Medlem</option>
            <option value="population">Invånarantal</option>
            <option value="fee_schedule">Avgiftsmodell</option>
            <option value="user">Användare</option>
            <option value="project">Projekt</option>
            <option value="invoice">Faktura</option>
          </select>
        </div>
        <div>
          <button className="btn btn-secondary" type="submit">
            Sök
          </button>
        </div>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">När (UTC)</th>
              <th scope="col">Vem</th>
              <th scope="col">Åtgärd</th>
              <th scope="col">Före</th>
              <th scope="col">Efter</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  Inga ändringar.
                </td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap small">{r.at.replace("T", " ").slice(0, 19)}</td>
                <td className="small">{r.actor}</td>
                <td className="small">
                  <code>{r.action}</code>
                  <div className="muted">
                    {r.entity} {r.entityId}
                  </div>
                </td>
                <td>
                  <Json value={r.before} />
                </td>
                <td>
                  <Json value={r.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="actions" style={{ marginTop: 12 }}>
        {page > 1 ? <Link to={link(page - 1)}>← Nyare</Link> : null}
        {hasMore ? <Link to={link(page + 1)}>Äldre →</Link> : null}
      </p>
    </>
  );
}
