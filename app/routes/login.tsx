import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormErrors, formProps, useAppForm } from "~/components/form";
import { roleLabel } from "~/lib/i18n";
import { checkCredentials, createSessionRedirect, getUser, safeRedirect } from "~/lib/auth.server";
import { demoLogins } from "~/lib/demo.server";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, refuse } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { LoginSchema } from "~/lib/schemas";

export const meta: MetaFunction = () => [{ title: "Logga in – Sambruk Admin" }];

/** A throttled login says when to try again (Remix takes a document's headers from here, not from the action). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return json({ demoLogins: demoLogins() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  // Only the e-mail address is typed back into the page: never the password, nor where to go after.
  const options = { hideFields: ["password", "redirectTo"] };
  const submission = parseSubmission(form, LoginSchema);
  if (submission.status !== "success") return invalid(submission, options);
  const { email, password } = submission.value;
  const client = typeof context.clientAddress === "string" ? context.clientAddress : "unknown";
  const result = await checkCredentials(email, password, client, request.headers.get("Cookie"));
  if (!result.ok) {
    const headers = result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined;
    return refuse(submission, { formErrors: [result.message] }, { ...options, status: result.status, headers });
  }
  const redirectTo = safeRedirect(String(form.get("redirectTo") ?? ""), "/");
  return createSessionRedirect(request, result.user.id, redirectTo, [result.deviceCookie]);
}

export default function Login() {
  const { demoLogins } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const result = resultFor(actionData);
  const [form, fields] = useAppForm<{ email: string; password: string }>({ id: "login", lastResult: result });
  return (
    <div className="login">
      <div className="card">
        <h1>Logga in</h1>
        <p className="lead">Sambruk Admin – medlemmar, avgifter, projekt och fakturor.</p>
        <FormErrors result={result} />
        <Form method="post" className="stack" {...formProps(form)}>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <Field field={fields.email} label="E-postadress" type="email" autoComplete="username" required />
          <Field field={fields.password} label="Lösenord" type="password" autoComplete="current-password" required />
          <div>
            <button type="submit" className="btn" disabled={busy}>
              {busy ? "Loggar in…" : "Logga in"}
            </button>
          </div>
        </Form>
      </div>
      {demoLogins.length > 0 ? (
        <div className="card demo-users">
          <h2>Demoinloggningar</h2>
          <p className="muted small">
            Visas bara i demoläget. Lösenorden är publika; använd aldrig demodatabasen på riktigt.
          </p>
          <table>
            <thead>
              <tr>
                <th>Roll</th>
                <th>E-post</th>
                <th>Lösenord</th>
              </tr>
            </thead>
            <tbody>
              {demoLogins.map((d) => (
                <tr key={d.email}>
                  <td>
                    {roleLabel[d.role]}
                    {d.memberName ? <div className="muted small">{d.memberName}</div> : null}
                  </td>
                  <td>
                    <code>{d.email}</code>
                  </td>
                  <td>
                    <code>{d.password}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
