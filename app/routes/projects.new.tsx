import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { ProjectForm } from "~/components/project-form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { pageErrorOf, readForm } from "~/lib/http.server";
import { ProjectCreateSchema } from "~/lib/project-schemas";
import { createProject } from "~/features/projects/commands.server";

export const meta: MetaFunction = () => [{ title: "Nytt projekt – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "project.create");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "project.create");
  const form = await readForm(request);
  // A percent left in the field belongs to no other key than base_plus_per_capita: drop it rather than refuse.
  if (form.get("allocationKey") !== "base_plus_per_capita") form.set("basePercent", "");
  const submission = parseSubmission(form, ProjectCreateSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    const project = createProject(scope, submission.value);
    return redirect(`/projects/${project.id}?notice=created`);
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
}

export default function NewProject() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="small">
        <Link to="/projects">← Projekt</Link>
      </p>
      <h1>Nytt projekt</h1>
      <p className="lead">Budget per år och deltagare läggs till på projektets sida när projektet har skapats.</p>
      <ProjectForm defaultValue={{}} result={resultFor(actionData)} busy={busy} submitLabel="Skapa projektet" />
    </>
  );
}
