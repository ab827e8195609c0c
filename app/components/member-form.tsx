import { Form } from "@remix-run/react";
import { Field, FormErrors, SelectField } from "./form";

export interface MemberFormValues {
  kind?: string;
  name?: string;
  municipalityCode?: string | null;
  orgNumber?: string;
  joinedOn?: string;
  resignedOn?: string | null;
  "invoiceAddress.street"?: string | null;
  "invoiceAddress.postalCode"?: string | null;
  "invoiceAddress.city"?: string | null;
  invoiceEmail?: string | null;
  reference?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  peppolId?: string | null;
  deliveryChannel?: string | null;
  "population.year"?: string | number | null;
  "population.population"?: string | number | null;
}

/**
 * The member form. `mode` decides what may be edited: the board sees everything, a member's own contact
 * person only its contact and invoice details (the server enforces the same with its own schema).
 */
export function MemberForm({
  mode,
  values,
  errors,
  submitLabel,
}: {
  mode: "create" | "edit" | "self";
  values: MemberFormValues;
  errors?: Record<string, string> | null;
  submitLabel: string;
}) {
  const v = (k: keyof MemberFormValues) => values[k] ?? undefined;
  return (
    <Form method="post" className="stack" noValidate>
      <FormErrors errors={errors} />
      {mode !== "self" ? (
        <fieldset>
          <legend>Medlem</legend>
          <div className="form-row">
            <SelectField
              name="kind"
              label="Typ"
              errors={errors}
              defaultValue={v("kind") ?? "municipality"}
              options={[
                { value: "municipality", label: "Kommun" },
                { value: "organisation", label: "Organisation (t.ex. SKR, myndighet)" },
              ]}
            />
            <Field name="name" label="Namn" errors={errors} defaultValue={v("name")} required size="l" />
          </div>
          <div className="form-row">
            <Field
              name="municipalityCode"
              label="Kommunkod"
              hint="Fyra siffror, t.ex. 1480. Tomt för organisationer."
              errors={errors}
              defaultValue={v("municipalityCode")}
              inputMode="numeric"
            />
            <Field
              name="orgNumber"
              label="Organisationsnummer"
              hint="NNNNNN-NNNN"
              errors={errors}
              defaultValue={v("orgNumber")}
              required
            />
          </div>
          <div className="form-row">
            <Field
              name="joinedOn"
              label="Inträdesdatum"
              type="date"
              errors={errors}
              defaultValue={v("joinedOn")}
              required
            />
            {mode === "edit" ? (
              <Field
                name="resignedOn"
                label="Utträdesdatum"
                type="date"
                errors={errors}
                defaultValue={v("resignedOn")}
              />
            ) : null}
          </div>
        </fieldset>
      ) : null}
      {mode === "create" ? (
        <fieldset>
          <legend>Invånarantal</legend>
          <div className="form-row">
            <Field
              name="population.year"
              label="År (31 december)"
              errors={errors}
              defaultValue={v("population.year")}
              inputMode="numeric"
              size="s"
            />
            <Field
              name="population.population"
              label="Invånare"
              errors={errors}
              defaultValue={v("population.population")}
              inputMode="numeric"
            />
          </div>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Fakturauppgifter</legend>
        <Field
          name="invoiceAddress.street"
          label="Gatuadress / box"
          errors={errors}
          defaultValue={v("invoiceAddress.street")}
          size="l"
        />
        <div className="form-row">
          <Field
            name="invoiceAddress.postalCode"
            label="Postnummer"
            hint="NNN NN"
            errors={errors}
            defaultValue={v("invoiceAddress.postalCode")}
            size="s"
          />
          <Field name="invoiceAddress.city" label="Ort" errors={errors} defaultValue={v("invoiceAddress.city")} />
        </div>
        <div className="form-row">
          <Field
            name="reference"
            label="Er referens (på fakturan)"
            hint="T.ex. kostnadsställe eller beställarens namn"
            errors={errors}
            defaultValue={v("reference")}
          />
          <Field
            name="invoiceEmail"
            label="E-post för fakturor"
            type="email"
            errors={errors}
            defaultValue={v("invoiceEmail")}
          />
        </div>
      </fieldset>
      {mode !== "self" ? (
        <fieldset>
          <legend>E-faktura</legend>
          <div className="form-row">
            <SelectField
              name="deliveryChannel"
              label="Leveranssätt"
              errors={errors}
              defaultValue={v("deliveryChannel") ?? ""}
              options={[
                { value: "", label: "Standard (kommun: Peppol, annars e-post)" },
                { value: "peppol", label: "E-faktura via Peppol" },
                { value: "email", label: "E-post" },
                { value: "print", label: "Papper" },
              ]}
            />
            <Field
              name="peppolId"
              label="Peppol-id"
              hint="Tomt = 0007:organisationsnumret. Slå upp kommunen på directory.peppol.eu. Via Peppol krävs Er referens: kommunen styr fakturan med den."
              errors={errors}
              defaultValue={v("peppolId")}
              placeholder="0007:2120001637"
            />
          </div>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Kontaktperson</legend>
        <div className="form-row">
          <Field name="contactName" label="Namn" errors={errors} defaultValue={v("contactName")} />
          <Field name="contactEmail" label="E-post" type="email" errors={errors} defaultValue={v("contactEmail")} />
          <Field name="contactPhone" label="Telefon" errors={errors} defaultValue={v("contactPhone")} />
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
