import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MemberForm } from "~/components/member-form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { todayIso } from "../../billing/dates";
import { MemberCreateSchema } from "~/lib/schemas";
import { createMember } from "~/features/members/commands.server";

export const meta: MetaFunction = () => [{ title: "Ny medlem – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "member.create");
  return json({ today: todayIso() });
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, "member.create");
  const form = await readForm(request);
  const submission = parseSubmission(form, MemberCreateSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    const member = createMember(scope, submission.value);
    return redirect(`/members/${member.id}?created=1`);
  } catch (error) {
    return rejected(submission, error);
  }
}

export default function NewMember() {
  const actionData = useActionData<typeof action>();
  const { today } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to="/members">← Medlemmar</Link>
      </p>
      <h1>Ny medlem</h1>
      <p className="lead">Registrera en kommun eller organisation. Fält med * måste fyllas i.</p>
      <MemberForm
        mode="create"
        defaultValue={{ joinedOn: today }}
        result={resultFor(actionData)}
        submitLabel="Spara medlem"
      />
    </>
  );
}
