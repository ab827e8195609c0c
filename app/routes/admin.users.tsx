import { currentYear } from "../../billing/dates";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ConfirmAction } from "~/components/confirm";
import { Field, FormErrors, Notice, SelectField } from "~/components/form";
import { roleLabel } from "~/lib/i18n";
import { requireRole } from "~/lib/auth.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { UserCreateSchema, UserUpdateSchema } from "~/lib/schemas";
import { listMemberRows } from "~/features/members/queries.server";
import { createUser, updateUser } from "~/features/users/commands.server";
import { listUsers } from "~/features/users/queries.server";

export const meta: MetaFunction = () => [{ title: "Användare – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "admin");
  return json({
    me: scope.userId,
    users: listUsers(scope),
    members: listMemberRows({ year: currentYear() }).map((r) => ({ id: r.member.id, name: r.member.name })),
  });
}

const UpdateForm = UserUpdateSchema.extend({
  userId: z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v), z.number().int().positive()),
});

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const form = await readForm(request);
  try {
    if (form.get("intent") === "create") {
      const parsed = parseForm(UserCreateSchema, form);
      if (!parsed.ok) return formError(parsed.fieldErrors, { ...parsed.values, password: "" });
      const user = await createUser(scope, parsed.data);
      return redirect(`/admin/users?created=${encodeURIComponent(user.email)}`);
    }
    if (form.get("intent") === "update") {
      const parsed = parseForm(UpdateForm, form);
      if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
      const { userId, ...patch } = parsed.data;
      const user = updateUser(scope, userId, patch);
      return redirect(`/admin/users?updated=${encodeURIComponent(user.email)}`);
    }
    return formError({ _: "Okänd åtgärd" }, {}, 400);
  } catch (error) {
    const answer = domainFormError(error, form);
    return answer;
  }
}

export default function Users() {
  const { users, members, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const [params] = useSearchParams();
  const creating = actionData?.values?.intent === "create";
  return (
    <>
      <h1>Användare</h1>
      <p className="lead">
        Styrelsen (admin), kassören och medlemmarnas kontaktpersoner. En inaktiverad användare loggas ut direkt och dess
        API-nycklar slutar gälla.
      </p>
      {params.get("created") ? <Notice kind="success">Användaren {params.get("created")} är skapad.</Notice> : null}
      {params.get("updated") ? <Notice kind="success">Användaren {params.get("updated")} är uppdaterad.</Notice> : null}
      {!creating ? <FormErrors errors={errors} /> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Namn</th>
              <th scope="col">E-post</th>
              <th scope="col">Roll och medlem</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="userId" value={u.id} />
                    <label className="skip" htmlFor={`role-${u.id}`}>
                      Roll för {u.email}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                      {(["admin", "treasurer", "member"] as const).map((r) => (
                        <option key={r} value={r}>
                          {roleLabel[r]}
                        </option>
                      ))}
                    </select>
                    <label className="skip" htmlFor={`member-${u.id}`}>
                      Medlem för {u.email}
                    </label>
                    <select id={`member-${u.id}`} name="memberId" defaultValue={u.memberId ?? ""}>
                      <option value="">– ingen medlem –</option>
                      {members.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name}
                        </option>
                      ))}
                    </select>
                    <button className="btn btn-secondary btn-small" type="submit">
                      Spara
                    </button>
                  </Form>
                </td>
                <td>
                  {u.active ? (
                    <span className="badge badge-ok">Aktiv</span>
                  ) : (
                    <span className="badge badge-bad">Inaktiverad</span>
                  )}
                  {u.id !== me ? (
                    u.active ? (
                      <span style={{ marginLeft: 8 }}>
                        <ConfirmAction
                          label="Inaktivera"
                          question={`Inaktivera ${u.name}? Alla inloggningar och API-nycklar avslutas direkt.`}
                          confirmLabel="Ja, inaktivera"
                          hidden={{ intent: "update", userId: u.id, active: "false" }}
                        />
                      </span>
                    ) : (
                      <Form method="post" style={{ display: "inline", marginLeft: 8 }}>
                        <input type="hidden" name="intent" value="update" />
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="active" value="true" />
                        <button className="btn btn-secondary btn-small" type="submit">
                          Aktivera
                        </button>
                      </Form>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" style={{ marginTop: 18 }}>
        <h2 style={{ marginTop: 0 }}>Ny användare</h2>
        {creating ? <FormErrors errors={errors} /> : null}
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="create" />
          <div className="form-row">
            <Field
              name="name"
              label="Namn"
              errors={creating ? errors : null}
              defaultValue={creating ? actionData?.values?.name : ""}
              required
            />
            <Field
              name="email"
              label="E-post"
              type="email"
              errors={creating ? errors : null}
              defaultValue={creating ? actionData?.values?.email : ""}
              required
            />
          </div>
          <div className="form-row">
            <Field
              name="password"
              label="Lösenord (minst 10 tecken)"
              type="password"
              autoComplete="new-password"
              errors={creating ? errors : null}
              required
            />
            <SelectField
              name="role"
              label="Roll"
              errors={creating ? errors : null}
              defaultValue={creating ? actionData?.values?.role : "member"}
              options={(["member", "treasurer", "admin"] as const).map((r) => ({ value: r, label: roleLabel[r] }))}
            />
            <SelectField
              name="memberId"
              label="Medlem (för kontaktpersoner)"
              errors={creating ? errors : null}
              defaultValue={creating ? actionData?.values?.memberId : ""}
              options={[
                { value: "", label: "– ingen –" },
                ...members.map((m) => ({ value: String(m.id), label: m.name })),
              ]}
            />
          </div>
          <div>
            <button className="btn" type="submit">
              Skapa användare
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
