import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { todayIso } from "../../billing/dates";
import { joinChoices, selfServiceStartError } from "../../billing/joining";
import { formatInteger, formatSek } from "../../billing/money";
import { Field, FormErrors, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor, type FormResult } from "~/lib/forms";
import { confirmation } from "~/lib/form-schemas";
import { invariantResponse } from "~/lib/invariant.server";
import { invalid, parseSubmission, refuse, rejected } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { allocationKeyLabel } from "~/lib/i18n";
import { JoinFormSchema } from "~/lib/project-schemas";
import { getProjectRow } from "~/features/projects/queries.server";
import { joinProject } from "~/features/projects/participants.server";
import { percentOf } from "../../billing/project-year";
import { sortByName } from "~/features/projects/json.server";
import { shareIfJoining, wouldBeShare, type ProjectYearAllocation } from "~/features/projects/allocation.server";
import { projectWarnings } from "~/features/projects/warnings.server";

/** The join form: the confirmation and the start date chosen (today when left out). */
const JoinConfirmSchema = confirmation("Bekräfta anmälan med knappen Gå med.").merge(JoinFormSchema);

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gå med i ${data.project.code} – Sambruk Admin` : "Gå med i projekt – Sambruk Admin" },
];

/** The would-be share of a project-year for the page: the split with the member added, sorted by name. */
function shareView(allocation: ProjectYearAllocation) {
  return {
    year: allocation.year,
    budget: allocation.budget!,
    ok: allocation.ok,
    errors: allocation.errors.map((e) => e.message),
    rows: sortByName(allocation.rows).map((r) => ({
      memberId: r.memberId,
      memberName: r.memberName,
      hypothetical: r.hypothetical,
      basis: r.basis,
      weight: r.weight,
      share: r.share,
      percent: r.share !== null ? percentOf(r.share, allocation.budget!) : null,
    })),
  };
}

/** What a start date costs first: the year it falls in and the member's full share of that year, if it is known. */
function firstYearCost(memberId: number, projectId: number, joinedOn: string) {
  const s = shareIfJoining(memberId, projectId, joinedOn);
  const own = s.kind === "would_be" && s.allocation.ok ? s.allocation.rows.find((r) => r.hypothetical) : undefined;
  return { joinedOn, year: s.year, budget: s.kind === "would_be", share: own?.share ?? null };
}

/**
 * Self-service joining for a member's contact person (docs/allocation.md#joining): the contact person picks the start
 * date (today by default, or e.g. 1 January next year; ?joinedOn= shows the share for the year it falls in), this page
 * shows what the share of that year would be, and its form (confirm=yes) makes the member a participant from that
 * date. Works without JavaScript.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.join");
  const id = idParam(params.id, false);
  const project = getProjectRow(id);
  invariantResponse(project && user.memberId !== null, "Projektet finns inte.");
  let w;
  try {
    w = wouldBeShare(user.memberId, id);
  } catch (error) {
    throw pageErrorOf(error);
  }
  if (w.kind === "participating" || w.kind === "upcoming") throw redirect(`/projects/${id}`);
  const today = todayIso();
  const choicesOf = joinChoices(today);
  // The chosen start date, checked by the same schema and rule as the join itself (docs/ui.md#forms).
  const search = new URL(request.url).searchParams;
  const raw = search.get("joinedOn") ?? "";
  const submission = parseSubmission(new URLSearchParams({ joinedOn: raw }), JoinFormSchema);
  const joinedOn = (submission.status === "success" && submission.value.joinedOn) || today;
  const problem = submission.status === "success" ? selfServiceStartError(joinedOn, today) : null;
  const dateResult: FormResult | null =
    submission.status !== "success"
      ? await invalid(submission).json()
      : problem
        ? await refuse(submission, { fieldErrors: { joinedOn: [problem] } }).json()
        : null;
  const dateError = dateResult !== null;
  const canChoose = w.kind !== "not_open" && w.kind !== "left";
  const chosen = canChoose && !dateError ? shareIfJoining(user.memberId, id, joinedOn) : null;
  const view = chosen?.kind === "would_be" ? shareView(chosen.allocation) : null;
  // Joining a project-year already invoiced is billed as an adjustment: the page says so before the member joins.
  const invoiced = view ? (projectWarnings(id, [view.year])[0] ?? null) : null;
  return json({
    project,
    kind: !canChoose ? w.kind : chosen?.kind === "no_budget" ? ("no_budget" as const) : ("would_be" as const),
    year: chosen?.year ?? (dateError ? Number(today.slice(0, 4)) : w.kind === "would_be" ? w.allocation.year : w.year),
    view,
    memberId: user.memberId,
    invoiced,
    today,
    joinedOn: dateError ? raw : joinedOn,
    dateError,
    dateResult,
    choices: canChoose
      ? [firstYearCost(user.memberId, id, today), firstYearCost(user.memberId, id, choicesOf.nextYearStart)]
      : [],
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "project.join");
  const id = idParam(params.id, false);
  const form = await readForm(request);
  const submission = parseSubmission(form, JoinConfirmSchema);
  if (submission.status !== "success") return invalid(submission, { hidden: ["confirm"] });
  const joinedOn = submission.value.joinedOn ?? todayIso();
  try {
    joinProject(scope, id, joinedOn);
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
  return redirect(`/projects/${id}?notice=${joinedOn > todayIso() ? "joined-later" : "joined"}`);
}

export default function JoinProject() {
  const { project, kind, year, view, invoiced, today, joinedOn, dateError, dateResult, choices } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const actionResult = resultFor(actionData);
  // The date's message, from the page's check of ?joinedOn= or from a refused join, is shown at the date field.
  const dateReply = actionResult?.error?.joinedOn ? actionResult : (resultFor(dateResult) ?? undefined);
  const [dateForm, dateFields] = useAppForm<{ joinedOn: string }>({
    id: "join-start",
    lastResult: dateReply,
    defaultValue: { joinedOn },
  });
  const busy = useNavigation().state !== "idle";
  const own = view?.rows.find((r) => r.hypothetical);
  const canJoin = project.status === "open" && kind !== "left" && !dateError;
  const fromText = joinedOn === today ? `i dag (${today})` : joinedOn;
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
      <FormErrors result={actionResult ?? resultFor(dateResult)} />

      {kind === "not_open" ? (
        <div className="alert alert-warning" role="status">
          <p>Projektet är inte öppet för anmälan.</p>
        </div>
      ) : kind === "left" ? (
        <div className="alert alert-warning" role="status">
          <p>Er organisation har redan deltagit i projektet. Kontakta styrelsen om ni vill delta igen.</p>
        </div>
      ) : (
        <section className="card" aria-labelledby="start-heading" data-testid="join-start">
          <h2 id="start-heading" style={{ marginTop: 0 }}>
            Startdatum
          </h2>
          <p>
            Ni betalar en hel andel för varje år ni deltar någon dag, också det år ni börjar. Börjar ni först nästa år
            betalar ni ingenting för {Number(today.slice(0, 4))}.
          </p>
          <ul className="join-choices">
            {choices.map((c) => (
              <li key={c.joinedOn}>
                <Link to={`?joinedOn=${c.joinedOn}`} aria-current={c.joinedOn === joinedOn ? "true" : undefined}>
                  {c.joinedOn === today ? `Från i dag, ${today}` : `Från 1 januari ${c.year}`}
                </Link>
                {": "}
                {c.share !== null
                  ? `er andel ${c.year} blir ${formatSek(c.share)}`
                  : c.budget
                    ? `er andel ${c.year} kan inte räknas fram ännu`
                    : `ingen budget för ${c.year} ännu`}
              </li>
            ))}
          </ul>
          <Form method="get" className="form-row" style={{ alignItems: "flex-start" }} {...formProps(dateForm)}>
            <Field
              field={dateFields.joinedOn}
              label="Annat startdatum"
              type="date"
              size="s"
              hint={`I dag (${today}) eller senare`}
            />
            <div style={{ paddingTop: 25 }}>
              <button type="submit" className="btn btn-secondary">
                Visa andelen
              </button>
            </div>
          </Form>
        </section>
      )}

      {dateError || kind === "not_open" || kind === "left" ? null : kind === "no_budget" ? (
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
        <Form method="post" className="card" aria-label="Anmälan">
          <input type="hidden" name="confirm" value="yes" />
          <input type="hidden" name="joinedOn" value={joinedOn} />
          <p style={{ marginTop: 0 }} data-testid="join-from">
            Genom att gå med anmäler ni er organisation till projektet från och med {fromText}. Lämnar ni projektet
            senare upphör deltagandet vid det årets slut.
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
