import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatInteger, formatSek, oreToDecimalString } from "../../billing/money";
import { Field, FormErrors, Notice, formProps, useAppForm } from "~/components/form";
import { requirePermission } from "~/lib/auth.server";
import { z } from "zod";
import { formErrorsOf, formStatusOf, isFormError } from "~/lib/form-errors.server";
import { inputName, resultFor } from "~/lib/forms";
import { formSubmission, parseSubmission, refuse, rejected } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { currentYear } from "../../billing/dates";
import { FeeScheduleSchema } from "~/lib/schemas";
import { createFeeSchedule, deleteFeeSchedule } from "~/features/fees/commands.server";
import { listFeeSchedules } from "~/features/fees/queries.server";
import { can } from "../../billing/policy";

export const meta: MetaFunction = () => [{ title: "Avgiftsmodeller – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "fees.read.all");
  return json({
    schedules: listFeeSchedules().reverse(),
    canCreate: can(scope, "fee-schedule.create"),
    nextYear: currentYear() + 1,
  });
}

const ROWS = 6;

/** A bracket row left blank (the form offers six). */
const isBlank = (row: unknown) =>
  typeof row === "object" &&
  row !== null &&
  Object.values(row).every((v) => v === undefined || (typeof v === "string" && v.trim() === ""));
/** The schedule as the form sends it: blank rows are dropped before the API's schema sees the list. */
const FeeScheduleFormSchema = z.preprocess(
  (v) =>
    typeof v === "object" && v !== null && Array.isArray((v as { brackets?: unknown }).brackets)
      ? { ...v, brackets: (v as { brackets: unknown[] }).brackets.filter((row) => row !== undefined && !isBlank(row)) }
      : v,
  FeeScheduleSchema,
);

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requirePermission(request, ["fee-schedule.create", "fee-schedule.delete"]);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    // Refused with the year named when an issued invoice depends on the schedule (docs/adjustments.md).
    const submission = formSubmission(form);
    try {
      deleteFeeSchedule(scope, Number(form.get("id")));
    } catch (error) {
      return rejected(submission, error, { hidden: ["id"] });
    }
    return redirect("/fee-schedules?deleted=1");
  }
  const submission = parseSubmission(form, FeeScheduleFormSchema);
  // The schema numbers the rows that were filled in; the messages go back to the rows as the page shows them.
  const sent = (submission.payload as { brackets?: unknown }).brackets;
  const kept = Array.isArray(sent) ? sent.flatMap((row, i) => (row === undefined || isBlank(row) ? [] : [i])) : [];
  const onPageRows = (errors: Record<string, string[] | null>) =>
    Object.fromEntries(
      Object.entries(errors)
        .filter((entry): entry is [string, string[]] => entry[1] !== null)
        .map(([name, messages]) => [
          inputName(name).replace(/^brackets\[(\d+)\]/, (_, i: string) => `brackets[${kept[Number(i)] ?? i}]`),
          messages,
        ]),
    );
  if (submission.status !== "success") {
    const { "": formErrors, ...fieldErrors } = submission.error ?? {};
    return refuse(formSubmission(form), { formErrors: formErrors ?? [], fieldErrors: onPageRows(fieldErrors) });
  }
  try {
    createFeeSchedule(scope, submission.value);
  } catch (error) {
    if (!isFormError(error)) throw error;
    const { formErrors, fieldErrors } = formErrorsOf(error);
    return refuse(
      formSubmission(form),
      { formErrors, fieldErrors: onPageRows(fieldErrors) },
      { status: formStatusOf(error) },
    );
  }
  return redirect(`/fee-schedules?created=${submission.value.validFrom}`);
}

export default function FeeSchedules() {
  const { schedules, canCreate, nextYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const latest = schedules[0];
  const result = resultFor(actionData);
  const [form, fields] = useAppForm<Record<string, unknown>>({
    id: "fee-schedule",
    lastResult: result,
    defaultValue: {
      validFrom: String(nextYear),
      brackets: Array.from({ length: ROWS }, (_, i) => {
        const b = latest?.brackets[i];
        return b
          ? {
              name: b.name,
              label: b.label ?? "",
              minPopulation: String(b.minPopulation),
              entryFee: oreToDecimalString(b.entryFee),
              annualFee: oreToDecimalString(b.annualFee),
            }
          : {};
      }),
    },
  });
  /** A bracket row's input, by the name conform gives it ("brackets[2].name"). */
  const row = (i: number, key: string) => fields[`brackets[${i}].${key}`];
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
          <FormErrors result={result} />
          <Form method="post" className="stack" style={{ maxWidth: "none" }} {...formProps(form)}>
            <div className="form-row">
              <Field field={fields.validFrom} label="Gäller från år" size="s" />
              <Field field={fields.note} label="Anteckning (t.ex. årsmötesbeslut)" />
            </div>
            {Array.from({ length: ROWS }, (_, i) => (
              <fieldset key={i}>
                <legend>Intervall {i + 1}</legend>
                <div className="form-row">
                  <Field field={row(i, "name")} label="Namn" size="s" />
                  <Field field={row(i, "label")} label="Beskrivning" />
                  <Field field={row(i, "minPopulation")} label="Från invånare" size="s" inputMode="numeric" />
                  <Field field={row(i, "entryFee")} label="Medlemsinsats, kr" size="s" inputMode="decimal" />
                  <Field field={row(i, "annualFee")} label="Årsavgift, kr" size="s" inputMode="decimal" />
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
