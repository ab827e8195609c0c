import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MemberForm } from "~/components/member-form";
import { requireRole } from "~/lib/auth.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { todayIso } from "../../billing/dates";
import { MemberCreateSchema } from "~/lib/schemas";
import { createMember } from "~/features/members/commands.server";

export const meta: MetaFunction = () => [{ title: "Ny medlem – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ today: todayIso() });
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const form = await readForm(request);
  const parsed = parseForm(MemberCreateSchema, form);
  if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
  try {
    const member = createMember(scope, parsed.data);
    return redirect(`/members/${member.id}?created=1`);
  } catch (error) {
    return domainFormError(error, form);
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
        values={actionData?.values ?? { joinedOn: today }}
        errors={actionData?.fieldErrors}
        submitLabel="Spara medlem"
      />
    </>
  );
}
