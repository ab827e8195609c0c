import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField, TextAreaField, formProps, useAppForm } from "~/components/form";
import type { FormResult } from "~/lib/forms";
import { allocationKeyLabel, projectStatusLabel } from "~/lib/i18n";

/** The fields of a project, for the new and edit pages (board only). Works without JavaScript. */
export function ProjectForm({
  defaultValue,
  result,
  busy,
  submitLabel,
}: {
  defaultValue: Record<string, string | null | undefined>;
  result?: FormResult;
  busy: boolean;
  submitLabel: string;
}) {
  const [form, fields] = useAppForm<Record<string, string>>({ id: "project", lastResult: result, defaultValue });
  return (
    <>
      <FormErrors result={result} />
      <Form method="post" className="stack card" {...formProps(form)}>
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <Field field={fields.code} label="Projektkod" size="s" hint="T.ex. P-001: A–Z, 0–9 och -" required />
          <Field field={fields.name} label="Namn" required />
        </div>
        <TextAreaField field={fields.description} label="Beskrivning" />
        <div className="form-row" style={{ alignItems: "flex-start" }}>
          <SelectField
            field={fields.status}
            label="Status"
            fallback="planned"
            options={Object.entries(projectStatusLabel).map(([value, label]) => ({ value, label }))}
          />
          <SelectField
            field={fields.allocationKey}
            label="Fördelningsnyckel"
            fallback="per_capita"
            options={Object.entries(allocationKeyLabel).map(([value, label]) => ({ value, label }))}
          />
          <Field
            field={fields.basePercent}
            label="Grundandel (%)"
            size="s"
            inputMode="decimal"
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
