import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormErrors } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { formValues, idParam, parseForm, readForm } from "~/lib/http.server";
import { ParticipantEditFormSchema } from "~/lib/project-schemas";
import { currentYear, endOfYear } from "../../billing/dates";
import { formFailure } from "~/features/projects/errors.server";
import { projectDetail } from "~/features/projects/queries.server";
import { removeParticipant, updateParticipant } from "~/features/projects/participants.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Deltagande: ${data.participant.memberName} i ${data.project.code} – Sambruk Admin`
      : "Deltagande – Sambruk Admin",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const detail = projectDetail(idParam(params.id, false));
  const memberId = idParam(params.memberId, false);
  const participant = detail?.participants.find((p) => p.memberId === memberId);
  if (!detail || !participant) throw new Response("Deltagandet finns inte.", { status: 404 });
  return json({ project: detail.project, participant, endOfYear: endOfYear(currentYear()) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const id = idParam(params.id, false);
  const memberId = idParam(params.memberId, false);
  const form = await readForm(request);
  const intent = form.get("intent");
  const values = formValues(form);
  const fail = (fieldErrors: Record<string, string>, status = 422) =>
    json({ intent: String(intent), fieldErrors, values }, { status });
  try {
    if (intent === "remove") {
      if (form.get("confirm") !== "yes")
        return fail({ confirm: "Kryssa i rutan för att bekräfta att deltagandet ska tas bort" });
      removeParticipant(scope, id, memberId);
      return redirect(`/projects/${id}?notice=removed`);
    }
    if (intent !== "update") return fail({ _: "Okänd åtgärd" }, 400);
    // The form always sends leftOn (empty = until further notice); a post without it is not this form.
    if (typeof form.get("leftOn") !== "string") return fail({ leftOn: "Fältet saknas i formuläret" }, 400);
    const parsed = parseForm(ParticipantEditFormSchema, form);
    if (!parsed.ok) return fail(parsed.fieldErrors);
    updateParticipant(scope, id, memberId, {
      joinedOn: parsed.data.joinedOn,
      leftOn: parsed.data.leftOn ?? null,
      // A post without the weight input leaves the weight as it is (an API-like client may omit it).
      ...(typeof form.get("weight") === "string" ? { weight: parsed.data.weight ?? null } : {}),
    });
    return redirect(`/projects/${id}?notice=participant-updated`);
  } catch (error) {
    const failure = formFailure(error);
    return fail(failure.fieldErrors, failure.status);
  }
}

export default function EditParticipant() {
  const { project, participant, endOfYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const editErrors = actionData && actionData.intent !== "remove" ? actionData.fieldErrors : null;
  const removeErrors = actionData?.intent === "remove" ? actionData.fieldErrors : null;
  const values = actionData && actionData.intent !== "remove" ? actionData.values : null;
  return (
    <>
      <p className="small">
        <Link to={`/projects/${project.id}`}>
          ← {project.code} {project.name}
        </Link>
      </p>
      <h1>{participant.memberName}</h1>
      <p className="lead">
        Deltagande i {project.code} {project.name}. Medlemmen betalar en hel andel för varje år den deltar någon dag.
      </p>
      <FormErrors errors={editErrors} />
      <Form method="post" className="stack card" noValidate>
        <input type="hidden" name="intent" value="update" />
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <Field
            name="joinedOn"
            label="Från och med"
            type="date"
            errors={editErrors}
            defaultValue={values?.joinedOn ?? participant.joinedOn}
            required
          />
          <Field
            name="leftOn"
            label="Till och med"
            type="date"
            errors={editErrors}
            defaultValue={values?.leftOn ?? participant.leftOn ?? ""}
            hint={`Tomt = tills vidare. Utträde gäller normalt vid årets slut (${endOfYear}).`}
          />
          <Field
            name="weight"
            label="Andel (vikt)"
            inputMode="decimal"
            errors={editErrors}
            defaultValue={values?.weight ?? participant.weight ?? ""}
            hint={
              project.allocationKey === "fixed"
                ? "Ett tal större än 0, t.ex. 50 eller 33,5"
                : "Används bara med fasta andelar"
            }
          />
        </div>
        <div>
          <button type="submit" className="btn" disabled={busy}>
            Spara
          </button>
        </div>
      </Form>

      <section className="card" aria-labelledby="remove-heading">
        <h2 id="remove-heading" style={{ marginTop: 0 }}>
          Ta bort deltagandet
        </h2>
        <p>
          Bara för ett deltagande som lagts in av misstag: medlemmen räknas då inte med något år. Ska medlemmen sluta
          delta, sätt i stället ett slutdatum ovan.
        </p>
        <FormErrors errors={removeErrors} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="remove" />
          <div
            className={`field${removeErrors?.confirm ? " has-error" : ""}`}
            style={{ flexDirection: "row", alignItems: "center", gap: 8 }}
          >
            <input
              type="checkbox"
              id="f-confirm"
              name="confirm"
              value="yes"
              aria-invalid={removeErrors?.confirm ? true : undefined}
              aria-describedby={removeErrors?.confirm ? "f-confirm-error" : undefined}
            />
            <label htmlFor="f-confirm">Ja, ta bort {participant.memberName} från projektet</label>
          </div>
          {removeErrors?.confirm ? (
            <p className="error" id="f-confirm-error" role="alert">
              {removeErrors.confirm}
            </p>
          ) : null}
          <p>
            <button type="submit" className="btn btn-danger" disabled={busy}>
              Ta bort deltagandet
            </button>
          </p>
        </Form>
      </section>
    </>
  );
}
