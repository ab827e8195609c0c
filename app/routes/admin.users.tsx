import { currentYear } from "../../billing/dates";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ConfirmAction } from "~/components/confirm";
import { Field, FormErrors, Notice, SelectField, formProps, useAppForm } from "~/components/form";
import { roleLabel } from "~/lib/i18n";
import { requirePermission } from "~/lib/auth.server";
import { resultFor } from "~/lib/forms";
import { formSubmission, invalid, parseSubmission, rejected, unknownIntent } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { UserCreateSchema, UserUpdateSchema } from "~/lib/schemas";
import { listMemberRows } from "~/features/members/queries.server";
import { createUser, updateUser } from "~/features/users/commands.server";
import { listUsers } from "~/features/users/queries.server";

export const meta: MetaFunction = () => [{ title: "Användare – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "user.manage");
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
  const scope = await requirePermission(request, "user.manage");
  const form = await readForm(request);
  if (form.get("intent") === "create") {
    // The password is never sent back into the page.
    const options = { hideFields: ["password"] };
    const submission = parseSubmission(form, UserCreateSchema);
    if (submission.status !== "success") return invalid(submission, options);
    try {
      const user = await createUser(scope, submission.value);
      return redirect(`/admin/users?created=${encodeURIComponent(user.email)}`);
    } catch (error) {
      return rejected(submission, error, options);
    }
  }
  if (form.get("intent") === "update") {
    // A user's row has its selects but no room for messages: they are shown above the list.
    const options = { hidden: ["userId", "role", "memberId", "active", "name"] };
    const submission = parseSubmission(form, UpdateForm);
    if (submission.status !== "success") return invalid(submission, options);
    try {
      const { userId, ...patch } = submission.value;
      const user = updateUser(scope, userId, patch);
      return redirect(`/admin/users?updated=${encodeURIComponent(user.email)}`);
    } catch (error) {
      return rejected(submission, error, options);
    }
  }
  return unknownIntent(formSubmission(form));
}

export default function Users() {
  const { users, members, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const createResult = resultFor(actionData, { intent: "create" });
  const [form, fields] = useAppForm<Record<string, string>>({
    id: "new-user",
    lastResult: createResult,
    defaultValue: { role: "member", memberId: "" },
  });
  return (
    <>
      <h1>Användare</h1>
      <p className="lead">
        Styrelsen (admin), kassören och medlemmarnas kontaktpersoner. En inaktiverad användare loggas ut direkt och dess
        API-nycklar slutar gälla.
      </p>
      {params.get("created") ? <Notice kind="success">Användaren {params.get("created")} är skapad.</Notice> : null}
      {params.get("updated") ? <Notice kind="success">Användaren {params.get("updated")} är uppdaterad.</Notice> : null}
      {createResult ? null : <FormErrors result={resultFor(actionData)} />}
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
        <FormErrors result={createResult} />
        <Form method="post" className="stack" {...formProps(form)}>
          <input type="hidden" name="intent" value="create" />
          <div className="form-row">
            <Field field={fields.name} label="Namn" required />
            <Field field={fields.email} label="E-post" type="email" required />
          </div>
          <div className="form-row">
            <Field
              field={fields.password}
              label="Lösenord (minst 10 tecken)"
              type="password"
              autoComplete="new-password"
              required
            />
            <SelectField
              field={fields.role}
              label="Roll"
              options={(["member", "treasurer", "admin"] as const).map((r) => ({ value: r, label: roleLabel[r] }))}
            />
            <SelectField
              field={fields.memberId}
              label="Medlem (för kontaktpersoner)"
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
