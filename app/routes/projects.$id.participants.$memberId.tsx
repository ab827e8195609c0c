import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CheckboxField, Field, FormErrors, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { confirmation } from "~/lib/form-schemas";
import { formSubmission, invalid, parseSubmission, refuse, rejected, unknownIntent } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { ParticipantEditFormSchema } from "~/lib/project-schemas";
import { currentYear, endOfYear } from "../../billing/dates";
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
  await requirePermission(request, "project.participant.update");
  const detail = projectDetail(idParam(params.id, false));
  const memberId = idParam(params.memberId, false);
  const participant = detail?.participants.find((p) => p.memberId === memberId);
  if (!detail || !participant) throw new Response("Deltagandet finns inte.", { status: 404 });
  return json({ project: detail.project, participant, endOfYear: endOfYear(currentYear()) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, ["project.participant.update", "project.participant.remove"]);
  const id = idParam(params.id, false);
  const memberId = idParam(params.memberId, false);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "remove") {
    const submission = parseSubmission(
      form,
      confirmation("Kryssa i rutan för att bekräfta att deltagandet ska tas bort"),
    );
    if (submission.status !== "success") return invalid(submission, { inputs: ["confirm"] });
    try {
      removeParticipant(scope, id, memberId);
    } catch (error) {
      return rejected(submission, pageErrorOf(error));
    }
    return redirect(`/projects/${id}?notice=removed`);
  }
  if (intent !== "update") return unknownIntent(formSubmission(form));
  const submission = parseSubmission(form, ParticipantEditFormSchema);
  // The form always sends leftOn (empty = until further notice); a post without it is not this form.
  if (typeof form.get("leftOn") !== "string")
    return refuse(
      submission,
      { fieldErrors: { leftOn: ["Fältet saknas i formuläret"] } },
      { status: 400, inputs: ["leftOn"] },
    );
  if (submission.status !== "success") return invalid(submission);
  try {
    updateParticipant(scope, id, memberId, {
      joinedOn: submission.value.joinedOn,
      leftOn: submission.value.leftOn ?? null,
      // A post without the weight input leaves the weight as it is (an API-like client may omit it).
      ...(typeof form.get("weight") === "string" ? { weight: submission.value.weight ?? null } : {}),
    });
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
  return redirect(`/projects/${id}?notice=participant-updated`);
}

export default function EditParticipant() {
  const { project, participant, endOfYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const removeResult = resultFor(actionData, { intent: "remove" });
  const editResult = removeResult ? undefined : resultFor(actionData);
  const [editForm, editFields] = useAppForm<Record<string, string>>({
    id: "participation",
    lastResult: editResult,
    defaultValue: {
      joinedOn: participant.joinedOn,
      leftOn: participant.leftOn ?? "",
      weight: participant.weight ?? "",
    },
  });
  const [removeForm, removeFields] = useAppForm<Record<string, string>>({ id: "remove", lastResult: removeResult });
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
      <FormErrors result={editResult} />
      <Form method="post" className="stack card" {...formProps(editForm)}>
        <input type="hidden" name="intent" value="update" />
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <Field field={editFields.joinedOn} label="Från och med" type="date" required />
          <Field
            field={editFields.leftOn}
            label="Till och med"
            type="date"
            hint={`Tomt = tills vidare. Utträde gäller normalt vid årets slut (${endOfYear}).`}
          />
          <Field
            field={editFields.weight}
            label="Andel (vikt)"
            inputMode="decimal"
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
        <FormErrors result={removeResult} />
        <Form method="post" {...formProps(removeForm)}>
          <input type="hidden" name="intent" value="remove" />
          <CheckboxField field={removeFields.confirm} label={`Ja, ta bort ${participant.memberName} från projektet`} />
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
