import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatInteger, formatSek, oreToDecimalString } from "../../billing/money";
import { Field, FormErrors, Notice } from "~/components/form";
import { requireRole } from "~/lib/auth.server";
import { domainFormError, formError, formValues, parseForm, readForm } from "~/lib/http.server";
import { currentYear } from "../../billing/dates";
import { FeeScheduleSchema, unflattenForm } from "~/lib/schemas";
import { createFeeSchedule, deleteFeeSchedule } from "~/features/fees/commands.server";
import { listFeeSchedules } from "~/features/fees/queries.server";

export const meta: MetaFunction = () => [{ title: "Avgiftsmodeller – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "admin", "treasurer");
  return json({
    schedules: listFeeSchedules().reverse(),
    canCreate: scope.role === "admin",
    nextYear: currentYear() + 1,
  });
}

const ROWS = 6;

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin");
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    // Refused with the year named when an issued invoice depends on the schedule (docs/adjustments.md).
    try {
      deleteFeeSchedule(scope, Number(form.get("id")));
    } catch (error) {
      return domainFormError(error, form);
    }
    return redirect("/fee-schedules?deleted=1");
  }
  // Blank bracket rows (the form offers six) are dropped before validation.
  const shaped = unflattenForm(formValues(form));
  if (!shaped.ok) return formError(shaped.fieldErrors, formValues(form));
  const raw = shaped.value as { brackets?: unknown };
  const rows = Array.isArray(raw.brackets) ? (raw.brackets as Array<Record<string, unknown>>) : [];
  const brackets = rows.filter((b) => b && Object.values(b).some((v) => typeof v !== "string" || v.trim() !== ""));
  const cleaned = new FormData();
  for (const [k, v] of form.entries()) if (!k.startsWith("brackets.")) cleaned.append(k, v);
  brackets.forEach((b, i) => Object.entries(b).forEach(([k, v]) => cleaned.append(`brackets.${i}.${k}`, String(v))));
  const parsed = parseForm(FeeScheduleSchema, cleaned);
  if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
  try {
    createFeeSchedule(scope, parsed.data);
  } catch (error) {
    return domainFormError(error, cleaned);
  }
  return redirect(`/fee-schedules?created=${parsed.data.validFrom}`);
}

export default function FeeSchedules() {
  const { schedules, canCreate, nextYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const [params] = useSearchParams();
  const latest = schedules[0];
  const defaults = (i: number, k: string) =>
    actionData?.values?.[`brackets.${i}.${k}`] ??
    (latest && latest.brackets[i]
      ? k === "entryFee" || k === "annualFee"
        ? oreToDecimalString(latest.brackets[i][k as "entryFee" | "annualFee"])
        : String(latest.brackets[i][k as "name" | "label" | "minPopulation"])
      : "");
  return (
    <>
      <h1>Avgiftsmodeller</h1>
      <p className="lead">
        En modell gäller från sitt år tills en senare modell börjar. Intervallen anges med lägsta invånarantal
        (inklusive).
      </p>
      {params.get("created") ? (
        <Notice kind="success">Avgiftsmodellen från {params.get("created")} är sparad.</Notice>
      ) : null}
      {params.get("deleted") ? <Notice kind="success">Avgiftsmodellen är borttagen.</Notice> : null}
      <p className="muted small">
        En modell kan inte börja gälla, ändras eller tas bort för ett år vars avgifter redan är fakturerade. Vill ni
        ändra ett fakturerat år: kreditera årets avgiftsfakturor och fakturera om.
      </p>
      {schedules.map((s) => (
        <section className="card" key={s.id}>
          <h2 style={{ marginTop: 0 }}>
            Gäller från {s.validFrom} {s.note ? <span className="muted small">– {s.note}</span> : null}
          </h2>
          {canCreate && s.id !== schedules[schedules.length - 1].id ? (
            <Form method="post" style={{ marginBottom: 8 }}>
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="id" value={s.id} />
              <button type="submit" className="btn btn-secondary">
                Ta bort modellen från {s.validFrom}
              </button>
            </Form>
          ) : null}
          <table>
            <thead>
              <tr>
                <th scope="col">Klass</th>
                <th scope="col">Invånare</th>
                <th scope="col" className="num">
                  Medlemsinsats
                </th>
                <th scope="col" className="num">
                  Årsavgift
                </th>
              </tr>
            </thead>
            <tbody>
              {s.brackets.map((b, i) => (
                <tr key={b.name}>
                  <td>{b.label || b.name}</td>
                  <td>
                    {formatInteger(b.minPopulation)}
                    {s.brackets[i + 1] ? ` – ${formatInteger(s.brackets[i + 1].minPopulation - 1)}` : " och fler"}
                  </td>
                  <td className="num">{formatSek(b.entryFee)}</td>
                  <td className="num">{formatSek(b.annualFee)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {canCreate ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Ny avgiftsmodell</h2>
          <FormErrors errors={errors} />
          <Form method="post" className="stack" noValidate style={{ maxWidth: "none" }}>
            <div className="form-row">
              <Field
                name="validFrom"
                label="Gäller från år"
                errors={errors}
                defaultValue={actionData?.values?.validFrom ?? nextYear}
                size="s"
              />
              <Field
                name="note"
                label="Anteckning (t.ex. årsmötesbeslut)"
                errors={errors}
                defaultValue={actionData?.values?.note}
              />
            </div>
            {errors?.brackets ? <p className="error">{errors.brackets}</p> : null}
            {Array.from({ length: ROWS }, (_, i) => (
              <fieldset key={i}>
                <legend>Intervall {i + 1}</legend>
                <div className="form-row">
                  <Field
                    name={`brackets.${i}.name`}
                    label="Namn"
                    errors={errors}
                    defaultValue={defaults(i, "name")}
                    size="s"
                  />
                  <Field
                    name={`brackets.${i}.label`}
                    label="Beskrivning"
                    errors={errors}
                    defaultValue={defaults(i, "label")}
                  />
                  <Field
                    name={`brackets.${i}.minPopulation`}
                    label="Från invånare"
                    errors={errors}
                    defaultValue={defaults(i, "minPopulation")}
                    size="s"
                    inputMode="numeric"
                  />
                  <Field
                    name={`brackets.${i}.entryFee`}
                    label="Medlemsinsats, kr"
                    errors={errors}
                    defaultValue={defaults(i, "entryFee")}
                    size="s"
                    inputMode="decimal"
                  />
                  <Field
                    name={`brackets.${i}.annualFee`}
                    label="Årsavgift, kr"
                    errors={errors}
                    defaultValue={defaults(i, "annualFee")}
                    size="s"
                    inputMode="decimal"
                  />
                </div>
              </fieldset>
            ))}
            <p className="hint">
              Tomma intervall ignoreras. Det första ska börja på 0 och varje följande på ett högre invånarantal.
            </p>
            <div>
              <button className="btn" type="submit">
                Spara avgiftsmodell
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
