import { currentYear } from "../../billing/dates";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field, FormErrors, Notice, SelectField, TextAreaField } from "~/components/form";
import { seriesShortNote } from "../../billing/invoice-series";
import { requireRole } from "~/lib/auth.server";
import { SettingsSchema } from "~/lib/billing-schemas";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { DEFAULT_EXEMPTION_TEXT, getSettings, lowestNextNumber } from "~/features/settings/queries.server";
import { saveSettings } from "~/features/settings/commands.server";
import { BookkeepingFieldset } from "~/components/bookkeeping-fieldset";
import { accountSettingsOf } from "../../billing/accounts";
import { accountsOf } from "~/features/interchange/sie.server";

export const meta: MetaFunction = () => [{ title: "Inställningar – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const settings = getSettings() ?? null;
  const lowest = lowestNextNumber();
  // The default text comes with the data: a value imported from a .server module is undefined in the browser,
  // so the field would be empty whenever the page is rendered there (a client-side navigation to it).
  return json({
    settings,
    lowest,
    defaultNumber: Math.max(lowest, currentYear() * 1000 + 1),
    seriesNote: settings ? seriesShortNote(Math.max(settings.nextInvoiceNumber, lowest)) : null,
    defaultExemptionText: DEFAULT_EXEMPTION_TEXT,
    accounts: accountSettingsOf(accountsOf(settings ?? undefined)),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireRole(request, "admin", "treasurer");
  const form = await readForm(request);
  const parsed = parseForm(SettingsSchema, form);
  if (!parsed.ok) return formError(parsed.fieldErrors, parsed.values);
  try {
    saveSettings(scope, parsed.data);
  } catch (error) {
    return domainFormError(error, form);
  }
  return redirect("/settings?saved=1");
}

const RATE_OPTIONS = [0, 6, 12, 25].map((r) => ({ value: String(r), label: `${r} %` }));

export default function SettingsPage() {
  const {
    settings: s,
    lowest,
    defaultNumber,
    defaultExemptionText,
    seriesNote,
    accounts,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors;
  const v = (actionData?.values ?? {}) as Record<string, string | undefined>;
  const [params] = useSearchParams();
  const value = (name: string, stored: string | number | null | undefined, fallback: string | number = "") =>
    v[name] ?? (stored === null || stored === undefined ? fallback : stored);
  const texts = (s ? (JSON.parse(s.vatExemptionTexts || "{}") as Record<string, string | undefined>) : {}) ?? {};
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Inställningar</h1>
          <p className="lead">Föreningens uppgifter på fakturorna, nummerserien, betalningsvillkor och moms.</p>
        </div>
      </div>
      {params.get("saved") ? <Notice kind="success">Inställningarna är sparade.</Notice> : null}
      {!s ? (
        <Notice kind="warning">
          Inga inställningar är sparade än: fakturor kan inte skickas förrän uppgifterna nedan är ifyllda.
        </Notice>
      ) : null}
      <FormErrors errors={errors} />
      <Form method="post" className="stack" noValidate>
        <section className="card" aria-labelledby="org-h">
          <h2 id="org-h" style={{ marginTop: 0 }}>
            Föreningen
          </h2>
          <div className="form-row">
            <Field name="name" label="Namn" errors={errors} defaultValue={value("name", s?.name)} size="l" />
            <Field
              name="orgNumber"
              label="Organisationsnummer"
              errors={errors}
              defaultValue={value("orgNumber", s?.orgNumber)}
              placeholder="NNNNNN-NNNN"
            />
            <Field
              name="vatNumber"
              label="Momsregistreringsnummer (om registrerad)"
              errors={errors}
              defaultValue={value("vatNumber", s?.vatNumber)}
              placeholder="SE…01"
            />
          </div>
          <div className="form-row">
            <Field
              name="street"
              label="Gatuadress"
              errors={errors}
              defaultValue={value("street", s?.street)}
              size="l"
            />
            <Field
              name="postalCode"
              label="Postnummer"
              errors={errors}
              defaultValue={value("postalCode", s?.postalCode)}
              size="s"
            />
            <Field name="city" label="Ort" errors={errors} defaultValue={value("city", s?.city)} />
          </div>
          <div className="form-row">
            <Field name="email" label="E-post" type="email" errors={errors} defaultValue={value("email", s?.email)} />
            <Field name="phone" label="Telefon" errors={errors} defaultValue={value("phone", s?.phone)} />
            <Field
              name="bankgiro"
              label="Bankgiro"
              errors={errors}
              defaultValue={value("bankgiro", s?.bankgiro)}
              placeholder="NNNN-NNNN"
            />
          </div>
        </section>
        <section className="card" aria-labelledby="inv-h">
          <h2 id="inv-h" style={{ marginTop: 0 }}>
            Fakturor
          </h2>
          {seriesNote ? (
            <p className="alert alert-warning" data-testid="series-note">
              {seriesNote}
            </p>
          ) : null}
          <div className="form-row">
            <Field
              name="nextInvoiceNumber"
              label="Nästa fakturanummer"
              errors={errors}
              defaultValue={value("nextInvoiceNumber", s?.nextInvoiceNumber, defaultNumber)}
              inputMode="numeric"
              hint={`Får bara höjas, lägst ${lowest}. Året följt av ett löpnummer: ${currentYear()}001 räcker till 999 fakturor om året, ${currentYear()}0001 till 9 999.`}
            />
            <Field
              name="paymentTermsDays"
              label="Betalningsvillkor (dagar)"
              errors={errors}
              defaultValue={value("paymentTermsDays", s?.paymentTermsDays, 30)}
              inputMode="numeric"
              size="s"
            />
            <Field
              name="ourReference"
              label="Vår referens"
              errors={errors}
              defaultValue={value("ourReference", s?.ourReference)}
            />
          </div>
          <div className="form-row">
            <SelectField
              name="vatRateEntryFee"
              label="Moms på medlemsinsats"
              errors={errors}
              options={RATE_OPTIONS}
              defaultValue={value("vatRateEntryFee", s?.vatRateEntryFee, 0)}
            />
            <SelectField
              name="vatRateAnnualFee"
              label="Moms på årsavgift"
              errors={errors}
              options={RATE_OPTIONS}
              defaultValue={value("vatRateAnnualFee", s?.vatRateAnnualFee, 0)}
            />
            <SelectField
              name="vatRateProjectShare"
              label="Moms på projektandel"
              errors={errors}
              options={RATE_OPTIONS}
              defaultValue={value("vatRateProjectShare", s?.vatRateProjectShare, 0)}
            />
          </div>
          <Field
            name="vatExemptionText"
            label="Text när ingen moms tas ut"
            errors={errors}
            defaultValue={value("vatExemptionText", s?.vatExemptionText, defaultExemptionText)}
            size="l"
          />
          <TextAreaField
            name="footer"
            label="Sidfot på fakturan"
            errors={errors}
            defaultValue={String(value("footer", s?.footer))}
            rows={3}
          />
        </section>
        <BookkeepingFieldset accounts={accounts} values={v} errors={errors} />
        {/* E-invoicing (docs/e-invoice.md): its own block, so the other parts of the page can grow beside it. */}
        <section className="card" aria-labelledby="einv-h">
          <h2 id="einv-h" style={{ marginTop: 0 }}>
            E-faktura och skatt
          </h2>
          <div className="form-row">
            <SelectField
              name="fSkatt"
              label="Godkänd för F-skatt"
              errors={errors}
              options={[
                { value: "false", label: "Nej" },
                { value: "true", label: "Ja – skrivs på fakturan och i e-fakturan" },
              ]}
              defaultValue={value("fSkatt", s ? String(s.fSkatt) : undefined, "false")}
            />
            <Field
              name="peppolId"
              label="Föreningens Peppol-id"
              errors={errors}
              defaultValue={value("peppolId", s?.peppolId)}
              placeholder="0007:organisationsnummer"
              hint="Tomt = 0007 och föreningens organisationsnummer."
            />
          </div>
          <p className="small muted">
            Momstext per avgiftsslag när ingen moms tas ut (tomt = texten ovan). En projektandel är inte en
            medlemsavgift, så den kan behöva en egen text.
          </p>
          <div className="form-row">
            <Field
              name="vatExemptionTexts.entry_fee"
              label="Momstext för medlemsinsats"
              errors={errors}
              defaultValue={value("vatExemptionTexts.entry_fee", texts.entry_fee)}
              size="l"
            />
            <Field
              name="vatExemptionTexts.annual_fee"
              label="Momstext för årsavgift"
              errors={errors}
              defaultValue={value("vatExemptionTexts.annual_fee", texts.annual_fee)}
              size="l"
            />
          </div>
          <div className="form-row">
            <Field
              name="vatExemptionTexts.project_share"
              label="Momstext för projektandel"
              errors={errors}
              defaultValue={value("vatExemptionTexts.project_share", texts.project_share)}
              size="l"
            />
            <Field
              name="vatExemptionTexts.project_adjustment"
              label="Momstext för projektjustering"
              errors={errors}
              defaultValue={value("vatExemptionTexts.project_adjustment", texts.project_adjustment)}
              size="l"
            />
          </div>
        </section>
        <div>
          <button className="btn" type="submit">
            Spara inställningar
          </button>
        </div>
      </Form>
    </>
  );
}
