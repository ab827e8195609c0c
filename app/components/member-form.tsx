import { Form } from "@remix-run/react";
import type { FormResult } from "~/lib/forms";
import { Field, FormErrors, SelectField, formProps, useAppForm } from "./form";

/** The member form's inputs, as conform names them (the shape of MemberCreateSchema / MemberPatchSchema). */
export interface MemberFormShape extends Record<string, unknown> {
  kind: string;
  name: string;
  municipalityCode: string | null;
  orgNumber: string;
  joinedOn: string;
  resignedOn: string | null;
  invoiceAddress: { street: string | null; postalCode: string | null; city: string | null } | null;
  invoiceEmail: string | null;
  reference: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  peppolId: string | null;
  deliveryChannel: string | null;
  population: { year: string | number | null; population: string | number | null } | null;
}

/**
 * The member form. `mode` decides what may be edited: the board sees everything, a member's own contact
 * person only its contact and invoice details (the server enforces the same with its own schema).
 */
export function MemberForm({
  mode,
  defaultValue,
  result,
  submitLabel,
}: {
  mode: "create" | "edit" | "self";
  defaultValue: Partial<MemberFormShape>;
  result?: FormResult;
  submitLabel: string;
}) {
  const [form, fields] = useAppForm<MemberFormShape>({ id: `member-${mode}`, lastResult: result, defaultValue });
  const address = fields.invoiceAddress.getFieldset();
  const population = fields.population.getFieldset();
  return (
    <Form method="post" className="stack" {...formProps(form)}>
      <FormErrors result={result} />
      {mode !== "self" ? (
        <fieldset>
          <legend>Medlem</legend>
          <div className="form-row">
            <SelectField
              field={fields.kind}
              label="Typ"
              fallback="municipality"
              options={[
                { value: "municipality", label: "Kommun" },
                { value: "organisation", label: "Organisation (t.ex. SKR, myndighet)" },
              ]}
            />
            <Field field={fields.name} label="Namn" required size="l" />
          </div>
          <div className="form-row">
            <Field
              field={fields.municipalityCode}
              label="Kommunkod"
              hint="Fyra siffror, t.ex. 1480. Tomt för organisationer."
              inputMode="numeric"
            />
            <Field field={fields.orgNumber} label="Organisationsnummer" hint="NNNNNN-NNNN" required />
          </div>
          <div className="form-row">
            <Field field={fields.joinedOn} label="Inträdesdatum" type="date" required />
            {mode === "edit" ? <Field field={fields.resignedOn} label="Utträdesdatum" type="date" /> : null}
          </div>
        </fieldset>
      ) : null}
      {mode === "create" ? (
        <fieldset>
          <legend>Invånarantal</legend>
          <div className="form-row">
            <Field field={population.year} label="År (31 december)" inputMode="numeric" size="s" />
            <Field field={population.population} label="Invånare" inputMode="numeric" />
          </div>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Fakturauppgifter</legend>
        <Field field={address.street} label="Gatuadress / box" size="l" />
        <div className="form-row">
          <Field field={address.postalCode} label="Postnummer" hint="NNN NN" size="s" />
          <Field field={address.city} label="Ort" />
        </div>
        <div className="form-row">
          <Field
            field={fields.reference}
            label="Er referens (på fakturan)"
            hint="T.ex. kostnadsställe eller beställarens namn"
          />
          <Field field={fields.invoiceEmail} label="E-post för fakturor" type="email" />
        </div>
      </fieldset>
      {mode !== "self" ? (
        <fieldset>
          <legend>E-faktura</legend>
          <div className="form-row">
            <SelectField
              field={fields.deliveryChannel}
              label="Leveranssätt"
              fallback=""
              options={[
                { value: "", label: "Standard (kommun: Peppol, annars e-post)" },
                { value: "peppol", label: "E-faktura via Peppol" },
                { value: "email", label: "E-post" },
                { value: "print", label: "Papper" },
              ]}
            />
            <Field
              field={fields.peppolId}
              label="Peppol-id"
              hint="Tomt = 0007:organisationsnumret. Slå upp kommunen på directory.peppol.eu. Via Peppol krävs Er referens: kommunen styr fakturan med den."
              placeholder="0007:2120001637"
            />
          </div>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Kontaktperson</legend>
        <div className="form-row">
          <Field field={fields.contactName} label="Namn" />
          <Field field={fields.contactEmail} label="E-post" type="email" />
          <Field field={fields.contactPhone} label="Telefon" />
        </div>
      </fieldset>
      <div>
        <button type="submit" className="btn">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
