import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { confirmation } from "~/lib/form-schemas";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { currentYear, endOfYear } from "../../billing/dates";
import { getParticipation, getProjectRow } from "~/features/projects/queries.server";
import { leaveProject } from "~/features/projects/participants.server";
import { participationState } from "../../billing/membership";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Lämna ${data.project.code} – Sambruk Admin` : "Lämna projekt – Sambruk Admin" },
];

/** Self-service leaving: the participation ends on 31 December of the current year (docs/allocation.md#participants-of-a-year), after confirmation. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.leave");
  const id = idParam(params.id, false);
  const project = getProjectRow(id);
  if (!project || user.memberId === null) throw new Response("Projektet finns inte.", { status: 404 });
  const participation = getParticipation(id, user.memberId);
  if (!participation || participation.leftOn !== null) throw redirect(`/projects/${id}`);
  const leftOn = endOfYear(currentYear());
  return json({
    project,
    participation,
    leftOn,
    withdraws: participationState(participation) === "upcoming" && participation.joinedOn > leftOn,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "project.leave");
  const id = idParam(params.id, false);
  const form = await readForm(request);
  const submission = parseSubmission(form, confirmation("Bekräfta med knappen Lämna projektet."));
  if (submission.status !== "success") return invalid(submission, { hidden: ["confirm"] });
  let result;
  try {
    result = leaveProject(scope, id);
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
  return redirect(`/projects/${id}?notice=${result.withdrawn ? "withdrawn" : "left"}`);
}

export default function LeaveProject() {
  const { project, participation, leftOn, withdraws } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="small">
        <Link to={`/projects/${project.id}`}>
          ← {project.code} {project.name}
        </Link>
      </p>
      <h1>
        Lämna {project.code} {project.name}
      </h1>
      <FormErrors result={resultFor(actionData)} />
      <Form method="post" className="card">
        <input type="hidden" name="confirm" value="yes" />
        {withdraws ? (
          <p style={{ marginTop: 0 }}>
            Ert deltagande skulle börja {participation.joinedOn}. Lämnar ni nu återkallas anmälan och ni betalar ingen
            andel.
          </p>
        ) : (
          <p style={{ marginTop: 0 }}>
            Ni deltar sedan {participation.joinedOn}. Lämnar ni projektet upphör deltagandet den{" "}
            <strong>{leftOn}</strong>: ni betalar er andel för {leftOn.slice(0, 4)} men inte för senare år.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {busy ? "Sparar…" : "Lämna projektet"}
          </button>
          <Link to={`/projects/${project.id}`}>Avbryt</Link>
        </div>
      </Form>
    </>
  );
}
