import { currentYear } from "../../billing/dates";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MemberForm, type MemberFormShape } from "~/components/member-form";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, refuse, rejected } from "~/lib/forms.server";
import { idParam, readForm } from "~/lib/http.server";
import { MemberPatchSchema, MemberSelfPatchSchema } from "~/lib/schemas";
import { memberDetail } from "~/features/members/queries.server";
import { updateMember } from "~/features/members/commands.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Redigera medlem – Sambruk Admin" }];

/**
 * The board edits everything (`member.update`); a member's own contact person only its contact and invoice details
 * (`member.update.contact`: the treasurer 403, another member 404).
 */
function authorise(request: Request, id: number) {
  return requirePermission(request, "member.update.contact", { memberId: id });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idParam(params.id, false);
  const scope = await authorise(request, id);
  const detail = memberDetail(scope, id, currentYear());
  if (!detail) throw new Response("Medlemmen finns inte.", { status: 404 });
  const m = detail.member;
  const p = m.private!;
  const values: Partial<MemberFormShape> = {
    kind: m.kind,
    name: m.name,
    municipalityCode: m.municipalityCode,
    orgNumber: m.orgNumber,
    joinedOn: m.joinedOn,
    resignedOn: m.resignedOn,
    invoiceAddress: { street: p.street, postalCode: p.postalCode, city: p.city },
    invoiceEmail: p.invoiceEmail,
    reference: p.reference,
    contactName: p.contactName,
    contactEmail: p.contactEmail,
    contactPhone: p.contactPhone,
    peppolId: p.peppolId,
    deliveryChannel: p.deliveryChannel,
  };
  return json({ id, name: m.name, mode: can(scope, "member.update") ? ("edit" as const) : ("self" as const), values });
}

/** The inputs of the contact person's form, and of the board's, which has every field. */
const SELF_FIELDS = [
  "invoiceAddress.street",
  "invoiceAddress.postalCode",
  "invoiceAddress.city",
  "reference",
  "invoiceEmail",
  "contactName",
  "contactEmail",
  "contactPhone",
];
const BOARD_FIELDS = [
  "kind",
  "name",
  "municipalityCode",
  "orgNumber",
  "joinedOn",
  "resignedOn",
  ...SELF_FIELDS,
  "peppolId",
  "deliveryChannel",
];

export async function action({ request, params }: ActionFunctionArgs) {
  const id = idParam(params.id, false);
  const scope = await authorise(request, id);
  const form = await readForm(request);
  // An empty input means "cleared", so a post that lacks inputs (not sent by this form) would clear data: refuse it.
  const board = can(scope, "member.update");
  const schema = board ? MemberPatchSchema : MemberSelfPatchSchema;
  const submission = parseSubmission(form, schema);
  const missing = (board ? BOARD_FIELDS : SELF_FIELDS).filter((name) => typeof form.get(name) !== "string");
  if (missing.length > 0) {
    return refuse(
      submission,
      { formErrors: [`Fält saknas i formuläret (${missing.join(", ")}): ladda om sidan och försök igen.`] },
      { status: 400 },
    );
  }
  if (submission.status !== "success") return invalid(submission);
  // A form always sends every field: an absent optional one means "cleared".
  const patch = { resignedOn: null, invoiceAddress: null, ...submission.value };
  if (!board) delete (patch as Record<string, unknown>).resignedOn;
  try {
    updateMember(scope, id, patch);
  } catch (error) {
    return rejected(submission, error);
  }
  return redirect(`/members/${id}?saved=updated`);
}

export default function EditMember() {
  const { id, name, mode, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="small">
        <Link to={`/members/${id}`}>← {name}</Link>
      </p>
      <h1>{mode === "edit" ? `Redigera ${name}` : "Kontakt- och fakturauppgifter"}</h1>
      {mode === "self" ? (
        <p className="lead">
          Uppgifterna skrivs på era fakturor. Invånarantal och avgifter ändras av föreningens styrelse.
        </p>
      ) : null}
      <MemberForm mode={mode} defaultValue={values} result={resultFor(actionData)} submitLabel="Spara ändringar" />
    </>
  );
}
