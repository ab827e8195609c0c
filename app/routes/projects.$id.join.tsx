import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatInteger, formatSek } from "../../billing/money";
import { FormErrors } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { confirmation } from "~/lib/form-schemas";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { allocationKeyLabel } from "~/lib/i18n";
import { getProjectRow } from "~/features/projects/queries.server";
import { joinProject } from "~/features/projects/participants.server";
import { percentOf } from "../../billing/project-year";
import { sortByName } from "~/features/projects/json.server";
import { wouldBeShare } from "~/features/projects/allocation.server";
import { projectWarnings } from "~/features/projects/warnings.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gå med i ${data.project.code} – Sambruk Admin` : "Gå med i projekt – Sambruk Admin" },
];

/**
 * Self-service joining for a member's contact person: this page shows what the share of the current year would
 * be, and its form (confirm=yes) makes the member a participant from today. Works without JavaScript.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.join");
  const id = idParam(params.id, false);
  const project = getProjectRow(id);
  if (!project || user.memberId === null) throw new Response("Projektet finns inte.", { status: 404 });
  let w;
  try {
    w = wouldBeShare(user.memberId, id);
  } catch (error) {
    throw pageErrorOf(error);
  }
  if (w.kind === "participating" || w.kind === "upcoming") throw redirect(`/projects/${id}`);
  const view =
    w.kind === "would_be"
      ? {
          year: w.allocation.year,
          budget: w.allocation.budget!,
          ok: w.allocation.ok,
          errors: w.allocation.errors.map((e) => e.message),
          rows: sortByName(w.allocation.rows).map((r) => ({
            memberId: r.memberId,
            memberName: r.memberName,
            hypothetical: r.hypothetical,
            basis: r.basis,
            weight: r.weight,
            share: r.share,
            percent: r.share !== null ? percentOf(r.share, w.allocation.budget!) : null,
          })),
        }
      : null;
  // Joining a project-year already invoiced is billed as an adjustment: the page says so before the member joins.
  const invoiced = view ? (projectWarnings(id, [view.year])[0] ?? null) : null;
  return json({
    project,
    kind: w.kind,
    year: w.kind === "would_be" ? w.allocation.year : w.year,
    view,
    memberId: user.memberId,
    invoiced,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "project.join");
  const id = idParam(params.id, false);
  const form = await readForm(request);
  const submission = parseSubmission(form, confirmation("Bekräfta anmälan med knappen Gå med."));
  if (submission.status !== "success") return invalid(submission, { hidden: ["confirm"] });
  try {
    joinProject(scope, id);
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
  return redirect(`/projects/${id}?notice=joined`);
}

export default function JoinProject() {
  const { project, kind, year, view, invoiced } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const own = view?.rows.find((r) => r.hypothetical);
  const canJoin = project.status === "open" && kind !== "left";
  return (
    <>
      <p className="small">
        <Link to={`/projects/${project.id}`}>
          ← {project.code} {project.name}
        </Link>
      </p>
      <h1>
        Gå med i {project.code} {project.name}
      </h1>
      <p className="lead">
        Fördelning: {allocationKeyLabel[project.allocationKey]}. Ni betalar en hel andel för varje år ni deltar någon
        dag, med början {year}.
      </p>
      <FormErrors result={resultFor(actionData)} />

      {kind === "not_open" ? (
        <div className="alert alert-warning" role="status">
          <p>Projektet är inte öppet för anmälan.</p>
        </div>
      ) : kind === "left" ? (
        <div className="alert alert-warning" role="status">
          <p>Er organisation har redan deltagit i projektet. Kontakta styrelsen om ni vill delta igen.</p>
        </div>
      ) : kind === "no_budget" ? (
        <div className="alert alert-info" role="status">
          <p>
            Projektet har ingen budget för {year} ännu, så er andel kan inte räknas fram. Går ni med betalar ni er andel
            när styrelsen satt budgeten.
          </p>
        </div>
      ) : view && own ? (
        <section className="card" aria-labelledby="share-heading">
          <h2 id="share-heading" style={{ marginTop: 0 }}>
            Er andel {view.year} om ni går med
          </h2>
          {view.ok && own.share !== null ? (
            <>
              <p style={{ fontSize: 18 }}>
                <strong>{formatSek(own.share)}</strong>
                {own.percent !== null
                  ? ` – ${own.percent.replace(".", ",")} % av budgeten ${formatSek(view.budget)}`
                  : ""}
                , delad mellan {view.rows.length} deltagare.
              </p>
              {invoiced ? (
                <p className="alert alert-warning">
                  Projektets andelar för {view.year} är redan fakturerade. Går ni med faktureras er andel,{" "}
                  {formatSek(own.share)}, som justering i nästa körning, och de andra deltagarnas andelar minskar med
                  sammanlagt lika mycket (de krediteras skillnaden).
                </p>
              ) : null}
              {own.basis ? (
                <p className="muted small">
                  Underlag: {formatInteger(own.basis.population)} invånare 31 december {own.basis.year}
                  {own.basis.fallback ? ` (äldre uppgift eftersom invånarantalet för ${view.year - 1} saknas)` : ""}.
                </p>
              ) : null}
            </>
          ) : project.allocationKey === "fixed" ? (
            <p>
              Projektet fördelar kostnaderna med fasta andelar; styrelsen bestämmer er andel (vikt) när ni gått med.
            </p>
          ) : (
            <div className="alert alert-warning" role="status">
              <p>Er andel kan inte räknas fram ännu:</p>
              {view.errors.map((e) => (
                <p key={e}>{e}</p>
              ))}
            </div>
          )}
          {view.ok ? (
            <details>
              <summary>Hela fördelningen {view.year} med er organisation</summary>
              <div className="table-wrap" style={{ marginTop: 8 }}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Medlem</th>
                      <th scope="col" className="num">
                        Andel
                      </th>
                      <th scope="col" className="num">
                        Andel av budgeten
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.rows.map((r) => (
                      <tr key={r.memberId} style={r.hypothetical ? { background: "#fff8e6" } : undefined}>
                        <td>
                          {r.memberName}
                          {r.hypothetical ? <span className="muted small"> (ni)</span> : null}
                        </td>
                        <td className="num">{r.share === null ? "–" : formatSek(r.share)}</td>
                        <td className="num">{r.percent === null ? "–" : `${r.percent.replace(".", ",")} %`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ) : null}
        </section>
      ) : null}

      {canJoin ? (
        <Form method="post" className="card">
          <input type="hidden" name="confirm" value="yes" />
          <p style={{ marginTop: 0 }}>
            Genom att gå med anmäler ni er organisation till projektet från och med i dag. Lämnar ni projektet senare
            upphör deltagandet vid det årets slut.
          </p>
          <div className="actions">
            <button type="submit" className="btn" disabled={busy}>
              {busy ? "Anmäler…" : "Gå med"}
            </button>
            <Link to={`/projects/${project.id}`}>Avbryt</Link>
          </div>
        </Form>
      ) : null}
    </>
  );
}
