import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { activeInYear } from "../../billing/dates";
import { formatSek, oreToInput } from "../../billing/money";
import { Field, FormErrors, Notice, SelectField, formProps, useAppForm } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { formErrorsOf, formStatusOf, isFormError } from "~/lib/form-errors.server";
import { formSubmission, invalid, parseSubmission, refuse, rejected, unknownIntent } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { allocationKeyLabel, participationStateLabel, projectStatusLabel } from "~/lib/i18n";
import { BudgetFormSchema, ParticipantCreateSchema, ParticipantsCreateSchema } from "~/lib/project-schemas";
import { invariantResponse } from "~/lib/invariant.server";
import { z } from "zod";
import { projectYearMoney, recordOutcome } from "~/features/projects/outcomes.server";
import { projectWarnings } from "~/features/projects/warnings.server";
import { addParticipant, addParticipants } from "~/features/projects/participants.server";
import { membersToAdd, projectDetail } from "~/features/projects/queries.server";
import { percentOf } from "../../billing/project-year";
import { setBudget } from "~/features/projects/commands.server";
import { wouldBeShare } from "~/features/projects/allocation.server";
import { type Action, can } from "../../billing/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.project.code} ${data.project.name} – Sambruk Admin` : "Projekt – Sambruk Admin" },
];

const notices: Record<string, string> = {
  created: "Projektet är skapat. Lägg till budget och deltagare nedan.",
  updated: "Projektet är uppdaterat.",
  budget: "Budgeten är sparad.",
  outcome:
    "Utfallet är registrerat. Nästa faktureringskörning med Justering av projektandel fakturerar eller krediterar skillnaden.",
  participant: "Deltagaren är tillagd.",
  "participant-updated": "Deltagandet är ändrat.",
  removed: "Deltagandet är borttaget.",
  joined: "Er organisation deltar nu i projektet.",
  "joined-later": "Er anmälan är registrerad. Deltagandet börjar på startdatumet nedan.",
  participants: "Deltagarna är tillagda.",
  left: "Ert deltagande avslutas vid årets slut.",
  withdrawn: "Er anmälan är återkallad.",
};

/** The several-at-once form: one ticked box sends one "memberIds", none sends none (docs/ui.md#forms). */
const ParticipantsFormSchema = ParticipantsCreateSchema.extend({
  memberIds: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    ParticipantsCreateSchema.shape.memberIds,
  ),
});

/** What a member's contact person sees about its own organisation and this project. */
function memberBox(memberId: number, projectId: number) {
  const w = wouldBeShare(memberId, projectId);
  if (w.kind === "no_budget" || w.kind === "not_open" || w.kind === "left" || w.kind === "upcoming")
    return { kind: w.kind, year: w.year };
  const a = w.allocation;
  const row = a.rows.find((r) => r.memberId === memberId) ?? null;
  return {
    kind: w.kind,
    year: a.year,
    budget: a.budget,
    allocationKey: a.project.allocationKey,
    ok: a.ok,
    errors: a.errors.map((e) => e.message),
    participantCount: a.rows.length,
    share: row?.share ?? null,
    percent: row?.share != null && a.budget !== null ? percentOf(row.share, a.budget) : null,
    basis: row?.basis ?? null,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id, false);
  const detail = projectDetail(id);
  invariantResponse(detail, "Projektet finns inte.");
  const isBoard = can(user, "project.update");
  const ownMemberId = can(user, "project.join") ? user.memberId : null;
  const own = ownMemberId === null ? null : (detail.participants.find((p) => p.memberId === ownMemberId) ?? null);
  const notice = new URL(request.url).searchParams.get("notice");
  const money = can(user, "project.money.read") ? projectYearMoney(user, id) : [];
  const warnings = isBoard
    ? projectWarnings(
        id,
        detail.budgets.map((b) => b.year),
      )
    : [];
  return json({
    project: detail.project,
    year: detail.year,
    budgets: detail.budgets.map((b) => ({
      ...b,
      participantCount: detail.participants.filter((p) => activeInYear(p.joinedOn, p.leftOn, b.year)).length,
      money: money.find((m) => m.year === b.year) ?? null,
    })),
    participants: detail.participants,
    isBoard,
    own,
    mine: ownMemberId === null ? null : memberBox(ownMemberId, id),
    candidates: isBoard ? membersToAdd(id) : [],
    notice: notice && notices[notice] ? notices[notice] : null,
    warnings,
  });
}

/** The board's forms on a project's page. */
const PROJECT_PAGE_ACTIONS = [
  "project.budget.set",
  "project.outcome.record",
  "project.participant.add",
] as const satisfies readonly Action[];

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireUser(request);
  if (!PROJECT_PAGE_ACTIONS.some((a) => can(scope, a))) {
    throw new Response("Bara styrelsen kan ändra projekt.", { status: 403 });
  }
  const id = idParam(params.id, false);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "budget" || intent === "outcome") {
    const submission = parseSubmission(form, BudgetFormSchema);
    if (submission.status !== "success") return invalid(submission);
    const { year, amount, note } = submission.value;
    try {
      if (intent === "budget") setBudget(scope, id, year, { amount, note: note ?? "" });
      else recordOutcome(scope, id, year, { amount, note: note ?? undefined });
    } catch (error) {
      return rejected(submission, pageErrorOf(error));
    }
    return redirect(`/projects/${id}?notice=${intent}`);
  }
  if (intent === "participant") {
    const submission = parseSubmission(form, ParticipantCreateSchema);
    if (submission.status !== "success") return invalid(submission);
    try {
      addParticipant(scope, id, submission.value);
    } catch (error) {
      return rejected(submission, pageErrorOf(error));
    }
    return redirect(`/projects/${id}?notice=participant`);
  }
  if (intent === "participants") {
    // Several members from one start date, all or none (docs/allocation.md#participants-of-a-year).
    const submission = parseSubmission(form, ParticipantsFormSchema);
    // No box ticked sends no "memberIds": its message still belongs to the boxes; a member's own message to it.
    const inputs = {
      inputs: ["memberIds", "joinedOn", "weight", ...membersToAdd(id).map((m) => `members[${m.id}]`)],
    };
    if (submission.status !== "success") return invalid(submission, inputs);
    try {
      addParticipants(scope, id, submission.value);
    } catch (error) {
      const page = pageErrorOf(error);
      if (!isFormError(page)) throw page;
      // Above the list, that none was added; under each member that could not be, why.
      const messages = formErrorsOf(page);
      return refuse(
        submission,
        { formErrors: [(page as Error).message], fieldErrors: messages.fieldErrors },
        { ...inputs, status: formStatusOf(page) },
      );
    }
    return redirect(`/projects/${id}?notice=participants`);
  }
  return unknownIntent(formSubmission(form));
}

function kr(ore: number) {
  return formatSek(ore);
}

export default function ProjectPage() {
  const { project, year, budgets, participants, isBoard, own, mine, candidates, notice, warnings } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const budgetResult = resultFor(actionData, { intent: "budget" });
  const outcomeResult = resultFor(actionData, { intent: "outcome" });
  const participantResult = resultFor(actionData, { intent: "participant" });
  const bulkResult = resultFor(actionData, { intent: "participants" });
  const ownBudget = budgets.find((b) => b.year === year);
  const [budgetForm, budgetFields] = useAppForm<Record<string, string>>({
    id: "budget",
    lastResult: budgetResult,
    defaultValue: { year: String(year), amount: ownBudget ? oreToInput(ownBudget.amountOre) : "" },
  });
  const fixed = project.allocationKey === "fixed";
  const budgetYears = budgets.map((b) => b.year);
  const allocationYear = budgetYears.includes(year) ? year : (budgetYears[budgetYears.length - 1] ?? year);
  const [outcomeForm, outcomeFields] = useAppForm<Record<string, string>>({
    id: "outcome",
    lastResult: outcomeResult,
    defaultValue: { year: String(allocationYear) },
  });
  const [participantForm, participantFields] = useAppForm<Record<string, string>>({
    id: "participant",
    lastResult: participantResult,
    defaultValue: { memberId: "", joinedOn: `${year}-01-01` },
  });
  const [bulkForm, bulkFields] = useAppForm<{ memberIds: string[]; joinedOn: string; weight: string }>({
    id: "participants",
    lastResult: bulkResult,
    defaultValue: { joinedOn: `${year}-01-01` },
  });
  const ticked = new Set(([] as unknown[]).concat(bulkResult?.initialValue?.memberIds ?? []).map((v) => String(v)));
  const memberError = (memberId: number) => bulkResult?.error?.[`members[${memberId}]`]?.[0];
  // A reply no form here claims (an unknown intent) is shown at the top.
  const otherResult =
    budgetResult || outcomeResult || participantResult || bulkResult ? undefined : resultFor(actionData);
  return (
    <>
      <p className="small">
        <Link to="/projects">← Projekt</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            {project.code} {project.name}
          </h1>
          <p className="lead">
            <span
              className={
                project.status === "open"
                  ? "badge badge-ok"
                  : project.status === "closed"
                    ? "badge badge-warn"
                    : "badge"
              }
            >
              {projectStatusLabel[project.status]}
            </span>{" "}
            · {allocationKeyLabel[project.allocationKey]}
            {project.basePercent !== null
              ? ` (${project.basePercent.replace(".", ",")} % av budgeten delas lika, resten per invånare)`
              : ""}
          </p>
        </div>
        <div className="actions">
          {budgets.length > 0 ? (
            <Link className="btn btn-secondary" to={`/projects/${project.id}/allocation?year=${allocationYear}`}>
              Fördelning {allocationYear}
            </Link>
          ) : null}
          {isBoard ? (
            <Link className="btn" to={`/projects/${project.id}/edit`}>
              Ändra projektet
            </Link>
          ) : null}
        </div>
      </div>

      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <FormErrors result={otherResult} />

      {project.description ? (
        <div className="card" style={{ whiteSpace: "pre-wrap" }}>
          {project.description}
        </div>
      ) : null}

      {mine ? (
        <section className="card" aria-labelledby="own-heading">
          <h2 id="own-heading" style={{ marginTop: 0 }}>
            Er organisation
          </h2>
          {own && own.state !== "ended" ? (
            <p>
              {own.state === "upcoming" ? `Ni deltar från och med ${own.joinedOn}` : `Ni deltar sedan ${own.joinedOn}`}
              {own.leftOn ? `, till och med ${own.leftOn}` : ""}.
            </p>
          ) : own ? (
            <p>Ert deltagande upphörde {own.leftOn}. Kontakta styrelsen om ni vill delta igen.</p>
          ) : null}
          {mine.kind === "participating" ? (
            mine.ok && mine.share !== null ? (
              <p>
                Er andel {mine.year}: <strong>{kr(mine.share)}</strong>
                {mine.percent !== null ? ` (${mine.percent.replace(".", ",")} % av budgeten ${kr(mine.budget!)})` : ""}.
              </p>
            ) : mine.budget === null ? (
              <p>Projektet har ingen budget för {mine.year} ännu.</p>
            ) : (
              <div className="alert alert-error" role="alert">
                <p>Fördelningen för {mine.year} kan inte beräknas:</p>
                {mine.errors.map((e) => (
                  <p key={e}>{e}</p>
                ))}
              </div>
            )
          ) : mine.kind === "would_be" ? (
            <>
              {mine.ok && mine.share !== null ? (
                <p>
                  Om ni går med i dag blir er andel {mine.year} <strong>{kr(mine.share)}</strong>
                  {mine.percent !== null
                    ? ` (${mine.percent.replace(".", ",")} % av budgeten ${kr(mine.budget!)}, delad mellan ${mine.participantCount} deltagare med er)`
                    : ""}
                  .
                </p>
              ) : mine.allocationKey === "fixed" ? (
                <p>Projektet fördelar kostnaderna med fasta andelar; styrelsen bestämmer er andel när ni gått med.</p>
              ) : (
                <div className="alert alert-warning" role="status">
                  <p>Er andel kan inte beräknas ännu:</p>
                  {mine.errors.map((e) => (
                    <p key={e}>{e}</p>
                  ))}
                </div>
              )}
            </>
          ) : mine.kind === "no_budget" ? (
            <p>Projektet har ingen budget för {mine.year} ännu, så er andel kan inte räknas fram.</p>
          ) : !own ? (
            <p>Projektet är inte öppet för anmälan.</p>
          ) : null}
          <div className="actions">
            {project.status === "open" && !own ? (
              <Link className="btn" to={`/projects/${project.id}/join`}>
                Gå med i projektet…
              </Link>
            ) : null}
            {own && (own.state === "active" || own.state === "upcoming") && own.leftOn === null ? (
              <Link className="btn btn-secondary" to={`/projects/${project.id}/leave`}>
                Lämna projektet…
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}

      {warnings.map((w) => (
        <Notice key={w.year} kind="warning">
          {w.year} är redan fakturerat ({kr(w.invoiced)}). Ändrar ni budget, utfall, deltagare, vikter eller
          invånarantal för {w.year} faktureras skillnaden per deltagare som justering i nästa körning med Justering av
          projektandel.
          {w.pending > 0
            ? ` Med ändringarna hittills flyttas ungefär ${kr(w.pending)} mellan deltagarna.`
            : " Just nu stämmer det fakturerade med fördelningen."}
        </Notice>
      ))}
      <h2 id="budgets">Budget per år</h2>
      {budgets.length === 0 ? (
        <p className="muted">Ingen budget är satt ännu.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">År</th>
                <th scope="col" className="num">
                  Budget
                </th>
                <th scope="col" className="num">
                  Utfall
                </th>
                <th scope="col" className="num">
                  Fakturerat
                </th>
                <th scope="col" className="num">
                  Kvar att fakturera
                </th>
                <th scope="col" className="num">
                  Deltagare
                </th>
                <th scope="col">Anteckning</th>
                <th scope="col">
                  <span className="muted">Fördelning</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => (
                <tr key={b.year}>
                  <td>{b.year}</td>
                  <td className="num">{kr(b.money?.budget ?? b.amountOre)}</td>
                  <td className="num">{b.money?.outcome != null ? kr(b.money.outcome) : "–"}</td>
                  <td className="num">{b.money ? kr(b.money.invoiced) : "–"}</td>
                  <td className="num">
                    {b.money
                      ? kr(b.money.open) + (b.money.drafted !== 0 ? ` (${kr(b.money.drafted)} i utkast)` : "")
                      : "–"}
                  </td>
                  <td className="num">{b.participantCount}</td>
                  <td>{b.note}</td>
                  <td>
                    <Link to={`/projects/${project.id}/allocation?year=${b.year}`}>Visa fördelningen {b.year}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {isBoard ? (
        <section className="card" aria-labelledby="budget-form" style={{ marginTop: 14 }}>
          <h3 id="budget-form" style={{ marginTop: 0 }}>
            Sätt budget för ett år
          </h3>
          <p className="muted small">Finns budgeten redan för året ersätts beloppet.</p>
          <FormErrors result={budgetResult} />
          <Form method="post" {...formProps(budgetForm)}>
            <input type="hidden" name="intent" value="budget" />
            <div className="form-row" style={{ alignItems: "flex-start" }}>
              <Field field={budgetFields.year} label="År" size="s" inputMode="numeric" required />
              <Field
                field={budgetFields.amount}
                label="Budget (kr)"
                size="s"
                inputMode="decimal"
                placeholder="100000.00"
                required
              />
              <Field field={budgetFields.note} label="Anteckning" />
              <div style={{ paddingTop: 25 }}>
                <button type="submit" className="btn" disabled={busy}>
                  Spara budget
                </button>
              </div>
            </div>
          </Form>
        </section>
      ) : null}

      {isBoard && budgets.length > 0 ? (
        <section className="card" aria-labelledby="outcome-form" style={{ marginTop: 14 }}>
          <h3 id="outcome-form" style={{ marginTop: 0 }}>
            Registrera utfall
          </h3>
          <p className="muted small">
            Årets slutliga kostnad ersätter budgeten i fördelningen. Är året redan fakturerat faktureras eller
            krediteras skillnaden per deltagare i nästa körning med Justering av projektandel.
          </p>
          <FormErrors result={outcomeResult} />
          <Form method="post" {...formProps(outcomeForm)}>
            <input type="hidden" name="intent" value="outcome" />
            <div className="form-row" style={{ alignItems: "flex-start" }}>
              <Field field={outcomeFields.year} label="År" size="s" inputMode="numeric" required />
              <Field
                field={outcomeFields.amount}
                label="Utfall (kr)"
                size="s"
                inputMode="decimal"
                placeholder="100000.00"
                required
              />
              <Field field={outcomeFields.note} label="Anteckning" />
              <div style={{ paddingTop: 25 }}>
                <button type="submit" className="btn" disabled={busy}>
                  Registrera utfall
                </button>
              </div>
            </div>
          </Form>
        </section>
      ) : null}

      <h2 id="participants">Deltagare</h2>
      {participants.length === 0 ? (
        <p className="muted">Inga medlemmar deltar ännu.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Medlem</th>
                <th scope="col">Kommunkod</th>
                <th scope="col">Från</th>
                <th scope="col">Till och med</th>
                {fixed ? (
                  <th scope="col" className="num">
                    Andel (vikt)
                  </th>
                ) : null}
                <th scope="col">Status</th>
                {isBoard ? <th scope="col">Ändra</th> : null}
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.memberId}>
                  <td>
                    <Link to={`/members/${p.memberId}`}>{p.memberName}</Link>
                  </td>
                  <td>{p.municipalityCode ?? <span className="muted">–</span>}</td>
                  <td className="nowrap">{p.joinedOn}</td>
                  <td className="nowrap">{p.leftOn ?? <span className="muted">tills vidare</span>}</td>
                  {fixed ? (
                    <td className="num">
                      {p.weight ? p.weight.replace(".", ",") : <span className="badge badge-bad">saknas</span>}
                    </td>
                  ) : null}
                  <td>
                    <span
                      className={
                        p.state === "ended" ? "badge" : p.state === "leaving" ? "badge badge-warn" : "badge badge-ok"
                      }
                    >
                      {participationStateLabel[p.state]}
                    </span>
                  </td>
                  {isBoard ? (
                    <td>
                      <Link
                        to={`/projects/${project.id}/participants/${p.memberId}`}
                        aria-label={`Ändra deltagandet för ${p.memberName}`}
                      >
                        Ändra
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {isBoard ? (
        <section className="card" aria-labelledby="participant-form" style={{ marginTop: 14 }}>
          <h3 id="participant-form" style={{ marginTop: 0 }}>
            Lägg till deltagare
          </h3>
          <FormErrors result={participantResult} />
          {candidates.length === 0 ? (
            <p className="muted">Alla medlemmar deltar redan.</p>
          ) : (
            <Form method="post" {...formProps(participantForm)}>
              <input type="hidden" name="intent" value="participant" />
              <div className="form-row" style={{ alignItems: "flex-start" }}>
                <SelectField
                  field={participantFields.memberId}
                  label="Medlem"
                  fallback=""
                  options={[
                    { value: "", label: "Välj medlem…" },
                    ...candidates.map((m) => ({
                      value: String(m.id),
                      label: `${m.name}${m.municipalityCode ? ` (${m.municipalityCode})` : ""}${m.resignedOn ? " – utträdd" : ""}`,
                    })),
                  ]}
                />
                <Field field={participantFields.joinedOn} label="Från och med" type="date" size="s" required />
                {fixed ? (
                  <Field
                    field={participantFields.weight}
                    label="Andel (vikt)"
                    size="s"
                    inputMode="decimal"
                    hint="Ett tal större än 0, t.ex. 50 eller 33,5"
                  />
                ) : null}
                <div style={{ paddingTop: 25 }}>
                  <button type="submit" className="btn" disabled={busy}>
                    Lägg till
                  </button>
                </div>
              </div>
            </Form>
          )}
          {candidates.length > 1 ? (
            <details className="bulk-add" open={bulkResult ? true : undefined}>
              <summary>Lägg till flera deltagare på en gång</summary>
              <p className="muted small">
                Kryssa i medlemmarna. Alla får samma startdatum{fixed ? " och samma andel (vikt)" : ""}. Kan någon av
                dem inte läggas till, läggs ingen till och felet står vid medlemmen.
              </p>
              <FormErrors result={bulkResult} />
              <Form method="post" aria-label="Lägg till flera deltagare" {...formProps(bulkForm)}>
                <input type="hidden" name="intent" value="participants" />
                <fieldset
                  className={bulkFields.memberIds.errors ? "has-error" : undefined}
                  aria-describedby={bulkFields.memberIds.errors ? "bulk-members-error" : undefined}
                >
                  <legend>Medlemmar som inte deltar ({candidates.length})</legend>
                  <ul className="check-list">
                    {candidates.map((m) => {
                      const error = memberError(m.id);
                      return (
                        <li key={m.id} className={error ? "has-error" : undefined}>
                          <label>
                            <input
                              type="checkbox"
                              name="memberIds"
                              value={m.id}
                              defaultChecked={ticked.has(String(m.id))}
                              aria-invalid={error ? true : undefined}
                              aria-describedby={error ? `bulk-member-${m.id}-error` : undefined}
                            />{" "}
                            {m.name}
                            {m.municipalityCode ? ` (${m.municipalityCode})` : ""}
                            {m.resignedOn ? " – utträdd" : ""}
                          </label>
                          {error ? (
                            <p className="error" id={`bulk-member-${m.id}-error`} role="alert">
                              {error}
                            </p>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                  {bulkFields.memberIds.errors ? (
                    <p className="error" id="bulk-members-error" role="alert">
                      {bulkFields.memberIds.errors[0]}
                    </p>
                  ) : null}
                </fieldset>
                <div className="form-row" style={{ alignItems: "flex-start", marginTop: 10 }}>
                  <Field field={bulkFields.joinedOn} id="bulk-joinedOn" label="Från och med" type="date" size="s" />
                  {fixed ? (
                    <Field
                      field={bulkFields.weight}
                      id="bulk-weight"
                      size="s"
                      label="Andel (vikt)"
                      inputMode="decimal"
                      hint="Samma för alla; tomt: styrelsen sätter vikterna sedan"
                    />
                  ) : null}
                  <div style={{ paddingTop: 25 }}>
                    <button type="submit" className="btn" disabled={busy}>
                      Lägg till de valda
                    </button>
                  </div>
                </div>
              </Form>
            </details>
          ) : null}
        </section>
      ) : null}
      <p className="muted small" style={{ marginTop: 18 }}>
        En deltagare betalar en hel andel för varje år den deltar någon dag. Andelar per invånare räknas på
        invånarantalet 31 december året före ({year - 1} för {year}).
      </p>
    </>
  );
}
