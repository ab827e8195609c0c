import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ProjectForm } from "~/components/project-form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { idParam, pageErrorOf, readForm } from "~/lib/http.server";
import { ProjectCreateSchema } from "~/lib/project-schemas";
import { getProjectRow } from "~/features/projects/queries.server";
import { updateProject } from "~/features/projects/commands.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Ändra ${data?.project.code ?? "projekt"} – Sambruk Admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "project.update");
  const project = getProjectRow(idParam(params.id, false));
  if (!project) throw new Response("Projektet finns inte.", { status: 404 });
  return json({ project });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "project.update");
  const id = idParam(params.id, false);
  const form = await readForm(request);
  if (form.get("allocationKey") !== "base_plus_per_capita") form.set("basePercent", "");
  // The form carries every field, so it is validated as a whole project and saved as a patch of all of them.
  const submission = parseSubmission(form, ProjectCreateSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    updateProject(scope, id, {
      ...submission.value,
      basePercent: submission.value.basePercent ?? null,
      description: submission.value.description ?? "",
    });
    return redirect(`/projects/${id}?notice=updated`);
  } catch (error) {
    return rejected(submission, pageErrorOf(error));
  }
}

export default function EditProject() {
  const { project } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const values = {
    code: project.code,
    name: project.name,
    description: project.description,
    status: project.status,
    allocationKey: project.allocationKey,
    basePercent: project.basePercent,
  };
  return (
    <>
      <p className="small">
        <Link to={`/projects/${project.id}`}>
          ← {project.code} {project.name}
        </Link>
      </p>
      <h1>Ändra projektet</h1>
      <p className="lead">
        Byter du fördelningsnyckel räknas andelarna om för alla år; redan fakturerade andelar ändras inte.
      </p>
      <ProjectForm defaultValue={values} result={resultFor(actionData)} busy={busy} submitLabel="Spara ändringarna" />
    </>
  );
}
