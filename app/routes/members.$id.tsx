import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { formatInteger, formatSek, sumOre } from "../../billing/money";
import { ConfirmAction } from "~/components/confirm";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import {
  allocationKeyLabel,
  bracketShort,
  countOf,
  invoiceStatusLabel,
  kindLabel,
  roleLabel,
  statusLabel,
} from "~/lib/i18n";
import { assertPermission, requireUser } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import {
  formSubmission,
  invalid,
  parseSubmission,
  rejected,
  unknownIntent,
  type ReplyOptions,
} from "~/lib/forms.server";
import { idParam, readForm } from "~/lib/http.server";
import { yearFromQuery } from "~/lib/query";
import { FeeOverrideSchema, isoDate, PopulationFormSchema, year as yearSchema } from "~/lib/schemas";
import {
  addFeeOverride,
  deletePopulationFigure,
  removeFeeOverride,
  setPopulation,
  updateMember,
} from "~/features/members/commands.server";
import { memberDetail } from "~/features/members/queries.server";
import { listUsers } from "~/features/users/queries.server";
import { memberProjectShares } from "~/features/projects/allocation.server";
import { listInvoiceViews } from "~/features/invoices/queries.server";
import { DELIVERY_CHANNEL_LABELS, effectiveDeliveryChannel, peppolIdShown } from "~/lib/e-invoice-labels";
import { AccountStatement } from "~/components/account-statement";
import { memberStatement } from "~/features/receivables/queries.server";
import { can, privateMemberOf } from "../../billing/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.detail.member.name ?? "Medlem"} – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const id = idParam(params.id, false);
  const year = yearFromQuery(new URL(request.url).searchParams.get("year"));
  const detail = memberDetail(scope, id, year);
  if (!detail) throw new Response("Medlemmen finns inte.", { status: 404 });
  const own = privateMemberOf(scope) === id;
  const users = can(scope, "user.read", { memberId: id }) ? listUsers(scope).filter((u) => u.memberId === id) : [];
  const invoices = detail.member.private
    ? listInvoiceViews(scope, { memberId: id }).filter((v) => v.number !== null || can(scope, "invoice.read.internal"))
    : [];
  return json({
    year,
    projects: memberProjectShares(id),
    invoices: invoices.map((v) => ({
      id: v.id,
      number: v.number,
      year: v.year,
      issueDate: v.issueDate,
      dueDate: v.dueDate,
      total: v.totalOre,
      balance: v.balance,
      status: v.status,
      overdue: v.overdue,
      kind: v.kind,
    })),
    detail: { ...detail, schedules: undefined },
    isBoard: can(scope, "member.update"),
    canSeePrivate: detail.member.private !== null,
    own,
    users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, active: u.active })),
    statement: detail.member.private ? memberStatement(scope, id) : null,
  });
}

const ResignSchema = z.object({ resignedOn: isoDate("Utträdesdatumet") });
const DeletePopulationSchema = z.object({ year: yearSchema() });
const DeleteOverrideSchema = z.object({
  overrideId: z.preprocess(
    (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    z.number().int().positive(),
  ),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireUser(request);
  assertPermission(scope, ["population.record", "fee-override.manage", "member.update"]);
  const id = idParam(params.id, false);
  const form = await readForm(request);
  /** Parses the form with the intent's schema, runs the change, redirects to the saved notice; or replies. */
  async function change<S extends z.ZodTypeAny>(
    schema: S,
    run: (value: z.output<S>) => void,
    saved: string,
    options: ReplyOptions = {},
  ) {
    const submission = parseSubmission(form, schema);
    if (submission.status !== "success") return invalid(submission, options);
    try {
      run(submission.value);
    } catch (error) {
      return rejected(submission, error, options);
    }
    return redirect(`/members/${id}?saved=${saved}`);
  }
  switch (form.get("intent")) {
    case "population":
      return change(PopulationFormSchema, (v) => setPopulation(scope, id, v.year, v.population), "population");
    case "deletePopulation":
      return change(DeletePopulationSchema, (v) => deletePopulationFigure(scope, id, v.year), "populationDeleted", {
        hidden: ["year"],
      });
    case "override":
      return change(FeeOverrideSchema, (v) => addFeeOverride(scope, id, v), "override");
    case "deleteOverride":
      return change(DeleteOverrideSchema, (v) => removeFeeOverride(scope, id, v.overrideId), "overrideDeleted", {
        hidden: ["overrideId"],
      });
    case "resign":
      return change(ResignSchema, (v) => updateMember(scope, id, { resignedOn: v.resignedOn }), "resigned");
    default:
      return unknownIntent(formSubmission(form));
  }
}

const savedText: Record<string, string> = {
  population: "Invånarantalet är sparat.",
  populationDeleted: "Invånarantalet är borttaget.",
  overrideDeleted: "Styrelsebeslutet är borttaget.",
  override: "Styrelsebeslutet är sparat.",
  resigned: "Utträdet är registrerat.",
  updated: "Uppgifterna är sparade.",
  created: "Medlemmen är registrerad.",
};

export default function MemberPage() {
  const { detail, year, isBoard, canSeePrivate, own, users, projects, invoices, statement } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const populationResult = resultFor(actionData, { intent: "population" });
  const overrideResult = resultFor(actionData, { intent: "override" });
  const resignResult = resultFor(actionData, { intent: "resign" });
  const [params] = useSearchParams();
  const saved = params.get("saved") ?? (params.get("created") ? "created" : null);
  const { member, fees, entryFees, entryFeeYear, populations, overrides, status, invoiced } = detail;
  const p = member.private;
  const [populationForm, populationFields] = useAppForm<Record<string, string>>({
    id: "population",
    lastResult: populationResult,
    defaultValue: { year: String(year - 1) },
  });
  const [overrideForm, overrideFields] = useAppForm<Record<string, string>>({
    id: "override",
    lastResult: overrideResult,
    defaultValue: { validFrom: String(year) },
  });
  const [resignForm, resignFields] = useAppForm<Record<string, string>>({ id: "resign", lastResult: resignResult });
  return (
    <>
      <p className="small">
        <Link to="/members">← Medlemmar</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{member.name}</h1>
          <p className="lead">
            {kindLabel[member.kind]}
            {member.municipalityCode ? ` · kommunkod ${member.municipalityCode}` : ""} · org.nr {member.orgNumber} ·
            medlem sedan {member.joinedOn}
            {member.resignedOn ? ` · utträde ${member.resignedOn}` : ""}{" "}
            <span className={`badge ${status === "active" ? "badge-ok" : ""}`}>{statusLabel[status]}</span>
          </p>
        </div>
        <div className="actions">
          {isBoard || own ? (
            <Link className="btn btn-secondary" to={`/members/${member.id}/edit`}>
              {isBoard ? "Redigera" : "Ändra kontakt- och fakturauppgifter"}
            </Link>
          ) : null}
        </div>
      </div>
      {saved && savedText[saved] ? <Notice kind="success">{savedText[saved]}</Notice> : null}
      <FormErrors result={resultFor(actionData)} />

      <div className="grid-2">
        <section className="card" aria-labelledby="fees-h">
          <div className="page-head" style={{ marginBottom: 8 }}>
            <h2 id="fees-h" style={{ margin: 0 }}>
              Avgifter {year}
            </h2>
            <Form method="get" className="actions">
              <label htmlFor="fee-year" className="small">
                År
              </label>
              <input
                id="fee-year"
                name="year"
                type="number"
                min={2000}
                max={2100}
                defaultValue={year}
                style={{ width: 90 }}
              />
              <button className="btn btn-secondary btn-small" type="submit">
                Visa
              </button>
            </Form>
          </div>
          {fees.ok ? (
            <dl className="facts">
              <dt>Avgiftsklass</dt>
              <dd data-testid="bracket">
                {fees.bracket
                  ? `${bracketShort[fees.bracket.name] ?? fees.bracket.name} – ${fees.bracket.label}`
                  : "Enligt styrelsebeslut"}
              </dd>
              <dt>Befolkningsunderlag</dt>
              <dd data-testid="population-basis">
                {fees.basis ? (
                  <>
                    {formatInteger(fees.basis.population)} invånare 31 dec {fees.basis.year}
                    {fees.basis.fallback ? (
                      <div className="badge badge-warn">
                        Siffra för {year - 1} saknas – senast kända ({fees.basis.year}) används
                      </div>
                    ) : null}
                  </>
                ) : (
                  "–"
                )}
              </dd>
              <dt>Årsavgift {year}</dt>
              <dd data-testid="annual-fee">
                {/* An invoiced year shows the fee as invoiced; only years not yet invoiced show the computed fee. */}
                {invoiced.annualFee !== null ? (
                  <>
                    <strong>{formatSek(invoiced.annualFee)}</strong> <span className="muted small">(fakturerad)</span>
                  </>
                ) : (
                  <strong>{formatSek(fees.annualFee)}</strong>
                )}
                {!(
                  member.joinedOn <= `${year}-12-31` &&
                  (!member.resignedOn || member.resignedOn >= `${year}-01-01`)
                ) ? (
                  <span className="muted small"> (ej medlem {year}, debiteras inte)</span>
                ) : null}
              </dd>
              <dt>Medlemsinsats</dt>
              <dd data-testid="entry-fee">
                {invoiced.entryFee !== null ? (
                  <>
                    {formatSek(invoiced.entryFee)}{" "}
                    <span className="muted small">(fakturerad, engångsavgift för inträdesåret {entryFeeYear})</span>
                  </>
                ) : entryFees.ok ? (
                  <>
                    {formatSek(entryFees.entryFee)}{" "}
                    <span className="muted small">(engångsavgift för inträdesåret {entryFeeYear})</span>
                  </>
                ) : (
                  <span className="muted small">
                    Engångsavgift för inträdesåret {entryFeeYear}; kan inte beräknas: {entryFees.message}
                  </span>
                )}
              </dd>
              <dt>Avgiftsmodell</dt>
              <dd>gäller från {fees.scheduleValidFrom}</dd>
              {fees.override ? (
                <>
                  <dt>Styrelsebeslut</dt>
                  <dd>{fees.override.note}</dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="alert alert-warning" data-testid="fee-problem">
              {fees.message}
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="pop-h">
          <h2 id="pop-h" style={{ marginTop: 0 }}>
            Invånarantal
          </h2>
          <p className="muted small">Folkmängd 31 december enligt SCB. Avgifter för år Y bygger på siffran för Y−1.</p>
          <table>
            <thead>
              <tr>
                <th scope="col">År</th>
                <th scope="col" className="num">
                  Invånare
                </th>
                {isBoard ? (
                  <th scope="col">
                    <span className="skip">Åtgärd</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {populations.length === 0 ? (
                <tr>
                  <td colSpan={3} className="muted">
                    Inga siffror registrerade.
                  </td>
                </tr>
              ) : null}
              {populations.map((f) => (
                <tr key={f.year}>
                  <td>{f.year}</td>
                  <td className="num">{formatInteger(f.population)}</td>
                  {isBoard ? (
                    <td className="num">
                      <ConfirmAction
                        label="Ta bort"
                        question={`Ta bort invånarantalet för ${f.year} (${formatInteger(f.population)})? Avgifter som redan är fakturerade ändras inte.`}
                        confirmLabel={`Ja, ta bort siffran för ${f.year}`}
                        hidden={{ intent: "deletePopulation", year: f.year }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {isBoard ? (
            <Form
              key={populations.map((f) => `${f.year}:${f.population}`).join()}
              method="post"
              className="form-row"
              style={{ marginTop: 12 }}
              {...formProps(populationForm)}
            >
              <input type="hidden" name="intent" value="population" />
              <Field field={populationFields.year} label="År" inputMode="numeric" size="s" />
              <Field field={populationFields.population} label="Invånare" inputMode="numeric" />
              <div>
                <button className="btn" type="submit">
                  Spara invånarantal
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      </div>

      <section className="card" aria-labelledby="proj-h">
        <h2 id="proj-h" style={{ marginTop: 0 }}>
          Projekt och andelar
        </h2>
        {projects.length === 0 ? (
          <p className="muted">
            Deltar inte i något projekt med budget. <Link to="/projects">Se projekten</Link>
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Projekt</th>
                <th scope="col">År</th>
                <th scope="col">Fördelning</th>
                <th scope="col" className="num">
                  Underlag
                </th>
                <th scope="col" className="num">
                  Andel
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.map((r) => (
                <tr key={`${r.projectId}-${r.year}`}>
                  <td>
                    <Link to={`/projects/${r.projectId}/allocation?year=${r.year}`}>
                      {r.code} {r.name}
                    </Link>
                  </td>
                  <td>{r.year}</td>
                  <td>{allocationKeyLabel[r.key]}</td>
                  <td className="num">
                    {r.weight !== null
                      ? `vikt ${r.weight.replace(".", ",")}`
                      : r.population !== null
                        ? `${formatInteger(r.population)} inv. (${r.populationYear}${r.populationFallback ? ", äldre" : ""})`
                        : "–"}
                  </td>
                  <td className="num">
                    {r.share !== null ? formatSek(r.share) : <span className="badge badge-bad">{r.error}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
            {/* Totals per year: shares of different years are billed separately, so one sum across years means nothing. */}
            <tfoot>
              {[...new Set(projects.map((r) => r.year))].map((y) => {
                const ofYear = projects.filter((r) => r.year === y);
                const complete = ofYear.every((r) => r.share !== null);
                return (
                  <tr key={y} className="total-row">
                    <th scope="row" colSpan={4}>
                      Summa {y}
                    </th>
                    <td className="num">{complete ? formatSek(sumOre(ofYear.map((r) => r.share ?? 0))) : "–"}</td>
                  </tr>
                );
              })}
            </tfoot>
          </table>
        )}
      </section>

      {canSeePrivate ? (
        <section className="card" aria-labelledby="invoices-h">
          <h2 id="invoices-h" style={{ marginTop: 0 }}>
            Fakturor
          </h2>
          {invoices.length === 0 ? <p className="muted">Inga fakturor.</p> : null}
          {invoices.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Nummer</th>
                  <th scope="col">År</th>
                  <th scope="col">Förfaller</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Belopp
                  </th>
                  <th scope="col" className="num">
                    Kvar att betala
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link to={`/invoices/${v.id}`}>{v.number ?? "Utkast"}</Link>
                      {v.kind === "credit_note" ? <span className="muted small"> kreditfaktura</span> : null}
                    </td>
                    <td>{v.year}</td>
                    <td>{v.dueDate ?? "–"}</td>
                    <td>
                      {invoiceStatusLabel[v.status]}
                      {v.overdue ? <span className="badge badge-bad"> förfallen</span> : null}
                    </td>
                    <td className="num">{formatSek(v.total)}</td>
                    <td className="num">{formatSek(v.balance)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="total-row">
                  <th scope="row" colSpan={4}>
                    Summa, {countOf(invoices.length, "faktura", "fakturor")}
                  </th>
                  <td className="num">{formatSek(sumOre(invoices.map((v) => v.total)))}</td>
                  <td className="num">{formatSek(sumOre(invoices.map((v) => v.balance)))}</td>
                </tr>
              </tfoot>
            </table>
          ) : null}
        </section>
      ) : null}

      {statement ? <AccountStatement statement={statement} /> : null}

      {canSeePrivate && p ? (
        <section className="card" aria-labelledby="inv-h">
          <h2 id="inv-h" style={{ marginTop: 0 }}>
            Faktura- och kontaktuppgifter
          </h2>
          <dl className="facts">
            <dt>Fakturaadress</dt>
            <dd>
              {p.street ? `${p.street}, ${p.postalCode} ${p.city}` : <span className="badge badge-warn">saknas</span>}
            </dd>
            <dt>Er referens</dt>
            <dd>
              {p.reference ?? (
                <span className="badge badge-warn">saknas – kommuner avvisar fakturor utan referens</span>
              )}
            </dd>
            <dt>E-post för fakturor</dt>
            <dd>{p.invoiceEmail ?? "–"}</dd>
            <dt>Kontaktperson</dt>
            <dd>{[p.contactName, p.contactEmail, p.contactPhone].filter(Boolean).join(" · ") || "–"}</dd>
            <dt>Leveranssätt</dt>
            <dd>
              {DELIVERY_CHANNEL_LABELS[effectiveDeliveryChannel(member.kind, p.deliveryChannel)]}
              {p.deliveryChannel ? "" : " (standard)"}
              {effectiveDeliveryChannel(member.kind, p.deliveryChannel) === "peppol" && !p.reference ? (
                <span className="badge badge-warn">
                  Er referens saknas: e-fakturan kan inte styras till rätt mottagare hos kommunen
                </span>
              ) : null}
            </dd>
            <dt>Peppol-id</dt>
            <dd>
              <code>{peppolIdShown(p.peppolId, member.orgNumber).id}</code>
              {peppolIdShown(p.peppolId, member.orgNumber).isDefault ? " (standard: organisationsnumret)" : ""}
            </dd>
          </dl>
        </section>
      ) : null}

      {canSeePrivate ? (
        <section className="card" aria-labelledby="ovr-h">
          <h2 id="ovr-h" style={{ marginTop: 0 }}>
            Styrelsebeslut om avgifter
          </h2>
          {overrides.length === 0 ? <p className="muted">Inga beslut: ordinarie avgifter gäller.</p> : null}
          {overrides.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">År</th>
                  <th scope="col" className="num">
                    Medlemsinsats
                  </th>
                  <th scope="col" className="num">
                    Årsavgift
                  </th>
                  <th scope="col">Beslut</th>
                  {isBoard ? (
                    <th scope="col">
                      <span className="skip">Åtgärd</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {overrides.map((o) => (
                  <tr key={o.id}>
                    <td>
                      {o.validFrom}–{o.validTo ?? ""}
                    </td>
                    <td className="num">{o.entryFeeOre === null ? "ordinarie" : formatSek(o.entryFeeOre)}</td>
                    <td className="num">{o.annualFeeOre === null ? "ordinarie" : formatSek(o.annualFeeOre)}</td>
                    <td>{o.note}</td>
                    {isBoard ? (
                      <td className="num">
                        <ConfirmAction
                          label="Ta bort"
                          question={`Ta bort styrelsebeslutet "${o.note}"?`}
                          confirmLabel="Ja, ta bort beslutet"
                          hidden={{ intent: "deleteOverride", overrideId: o.id }}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {isBoard ? (
            <details style={{ marginTop: 12 }} open={overrideResult !== undefined}>
              <summary>Lägg till styrelsebeslut</summary>
              <Form method="post" className="stack" {...formProps(overrideForm)}>
                <input type="hidden" name="intent" value="override" />
                <div className="form-row">
                  <Field field={overrideFields.validFrom} label="Från år" size="s" />
                  <Field field={overrideFields.validTo} label="Till år (tomt = tills vidare)" size="s" />
                  <Field
                    field={overrideFields.entryFee}
                    label="Medlemsinsats, kr (tomt = ordinarie)"
                    inputMode="decimal"
                  />
                  <Field
                    field={overrideFields.annualFee}
                    label="Årsavgift, kr (tomt = ordinarie)"
                    inputMode="decimal"
                  />
                </div>
                <Field field={overrideFields.note} label="Styrelsebeslut (datum, paragraf, motivering)" size="l" />
                <div>
                  <button className="btn" type="submit">
                    Spara beslut
                  </button>
                </div>
              </Form>
            </details>
          ) : null}
        </section>
      ) : null}

      {isBoard && !member.resignedOn ? (
        <section className="card" aria-labelledby="resign-h">
          <h2 id="resign-h" style={{ marginTop: 0 }}>
            Utträde
          </h2>
          <p className="muted small">
            Årsavgiften debiteras för varje år medlemmen är medlem någon dag, även utträdesåret.
          </p>
          <Form method="post" className="form-row" {...formProps(resignForm)}>
            <input type="hidden" name="intent" value="resign" />
            <Field field={resignFields.resignedOn} label="Utträdesdatum" type="date" size="s" />
            <div>
              <button className="btn btn-danger" type="submit">
                Registrera utträde
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {users.length > 0 ? (
        <section className="card" aria-labelledby="users-h">
          <h2 id="users-h" style={{ marginTop: 0 }}>
            Användare för {member.name}
          </h2>
          <ul>
            {users.map((u) => (
              <li key={u.id}>
                {u.name} &lt;{u.email}&gt; – {roleLabel[u.role]}
                {u.active ? "" : " (inaktiverad)"}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
