import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField, TextAreaField } from "~/components/form";
import { allocationKeyLabel, projectStatusLabel } from "~/lib/i18n";

/** The fields of a project, for the new and edit pages (board only). Works without JavaScript. */
export function ProjectForm({
  values,
  errors,
  busy,
  submitLabel,
}: {
  values: Record<string, string | null | undefined>;
  errors?: Record<string, string> | null;
  busy: boolean;
  submitLabel: string;
}) {
  return (
    <>
      <FormErrors errors={errors} />
      <Form method="post" className="stack card" noValidate>
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <Field
            name="code"
            label="Projektkod"
            size="s"
            errors={errors}
            defaultValue={values.code}
            hint="T.ex. P-001: A–Z, 0–9 och -"
            required
          />
          <Field name="name" label="Namn" errors={errors} defaultValue={values.name} required />
        </div>
        <TextAreaField name="description" label="Beskrivning" errors={errors} defaultValue={values.description} />
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <SelectField
            name="status"
            label="Status"
            errors={errors}
            defaultValue={values.status ?? "planned"}
            options={Object.entries(projectStatusLabel).map(([value, label]) => ({ value, label }))}
          />
          <SelectField
            name="allocationKey"
            label="Fördelningsnyckel"
            errors={errors}
            defaultValue={values.allocationKey ?? "per_capita"}
            options={Object.entries(allocationKeyLabel).map(([value, label]) => ({ value, label }))}
          />
          <Field
            name="basePercent"
            label="Grundandel (%)"
            size="s"
            inputMode="decimal"
            errors={errors}
            defaultValue={values.basePercent}
            hint="Andel som delas lika, 0–100. Bara för grundbelopp + per invånare."
          />
        </div>
        <div>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Sparar…" : submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
