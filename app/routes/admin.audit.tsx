import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { describeChanges, formatStockholmTime } from "~/lib/audit-format";
import { auditActionLabel, auditEntityLabel } from "~/lib/i18n";
import { requirePermission } from "~/lib/auth.server";
import { readAudit } from "~/features/audit/queries.server";

export const meta: MetaFunction = () => [{ title: "Ändringslogg – Sambruk Admin" }];

const PAGE = 50;
const ENTITIES = [
  "member",
  "population",
  "fee_schedule",
  "user",
  "project",
  "project_budget",
  "billing_run",
  "invoice",
  "settings",
];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "audit.read");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const entity = (url.searchParams.get("entity") ?? "").slice(0, 40);
  const pageParam = Number(url.searchParams.get("page") ?? "1");
  const page = Number.isSafeInteger(pageParam) && pageParam >= 1 && pageParam <= 10_000 ? pageParam : 1;
  const rows = readAudit(scope, {
    q: q || undefined,
    entity: entity || undefined,
    limit: PAGE + 1,
    offset: (page - 1) * PAGE,
  });
  return json({
    q,
    entity,
    page,
    hasMore: rows.length > PAGE,
    // Rendered into words on the server: the page never sends the stored JSON to the browser.
    rows: rows.slice(0, PAGE).map((r) => ({
      id: r.id,
      at: formatStockholmTime(r.at),
      atIso: r.at,
      actor: r.actor,
      action: auditActionLabel[r.action] ?? r.action,
      code: r.action,
      entity: auditEntityLabel[r.entity] ?? r.entity,
      entityId: r.entityId,
      changes: describeChanges(r.before, r.after),
    })),
  });
}

export default function Audit() {
  const { rows, q, entity, page, hasMore } = useLoaderData<typeof loader>();
  const link = (p: number) => `?${new URLSearchParams({ q, entity, page: String(p) })}`;
  return (
    <>
      <h1>Ändringslogg</h1>
      <p className="lead">
        Varje ändring av användare, medlemmar, invånarantal, avgifter, projekt och fakturor: vem, när (svensk tid) och
        vad som ändrades, före → efter.
      </p>
      <Form method="get" className="filters" role="search">
        <div className="field field-search">
          <label htmlFor="q">Sök (användare, åtgärd, innehåll)</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <div className="field">
          <label htmlFor="entity">Typ</label>
          <select id="entity" name="entity" defaultValue={entity}>
            <option value="">Alla</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {auditEntityLabel[e] ?? e}
              </option>
            ))}
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
              <th scope="col">När</th>
              <th scope="col">Vem</th>
              <th scope="col">Vad</th>
              <th scope="col">Ändringar (före → efter)</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  Inga ändringar.
                </td>
              </tr>
            ) : null}
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap small">
                  <time dateTime={r.atIso}>{r.at}</time>
                </td>
                <td className="small">{r.actor}</td>
                <td className="small">
                  <span title={r.code}>{r.action}</span>
                  <div className="muted">
                    {r.entity}
                    {r.entityId ? ` ${r.entityId}` : ""}
                  </div>
                </td>
                <td>
                  {r.changes.length === 0 ? (
                    <span className="muted">–</span>
                  ) : (
                    <ul className="change-list">
                      {r.changes.map((c, i) => (
                        <li key={`${c.field}-${i}`}>
                          <strong>{c.field}</strong>:{" "}
                          {c.before === null ? (
                            c.after
                          ) : c.after === null ? (
                            <s>{c.before}</s>
                          ) : (
                            `${c.before} → ${c.after}`
                          )}
                          {c.before === null ? (
                            <span className="muted small"> (ny)</span>
                          ) : c.after === null ? (
                            <span className="muted small"> (borttagen)</span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
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
