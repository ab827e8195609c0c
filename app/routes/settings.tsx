import { currentYear } from "../../billing/dates";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field, FormErrors, Notice, SelectField, TextAreaField, formProps, useAppForm } from "~/components/form";
import { seriesShortNote } from "../../billing/invoice-series";
import { requirePermission } from "~/lib/auth.server";
import { SettingsSchema } from "~/lib/billing-schemas";
import { resultFor } from "~/lib/forms";
import { invalid, parseSubmission, rejected } from "~/lib/forms.server";
import { readForm } from "~/lib/http.server";
import { DEFAULT_EXEMPTION_TEXT, lowestNextNumber, readSettings } from "~/features/settings/queries.server";
import { saveSettings } from "~/features/settings/commands.server";
import { BookkeepingFieldset } from "~/components/bookkeeping-fieldset";
import { accountSettingsOf, type AccountField } from "../../billing/accounts";
import { accountsOf } from "~/features/interchange/sie.server";

export const meta: MetaFunction = () => [{ title: "Inställningar – Sambruk Admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "settings.read");
  const settings = readSettings(scope) ?? null;
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
  const scope = await requirePermission(request, "settings.update");
  const form = await readForm(request);
  const submission = parseSubmission(form, SettingsSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    saveSettings(scope, submission.value);
  } catch (error) {
    return rejected(submission, error);
  }
  return redirect("/settings?saved=1");
}

/** The settings form's inputs: one per setting, and two groups ("vatExemptionTexts.entry_fee", "accounts.bank"). */
type SettingsShape = Record<
  | "name"
  | "orgNumber"
  | "vatNumber"
  | "street"
  | "postalCode"
  | "city"
  | "email"
  | "phone"
  | "bankgiro"
  | "nextInvoiceNumber"
  | "paymentTermsDays"
  | "ourReference"
  | "vatRateEntryFee"
  | "vatRateAnnualFee"
  | "vatRateProjectShare"
  | "vatExemptionText"
  | "footer"
  | "fSkatt"
  | "peppolId",
  string
> & { vatExemptionTexts: Record<string, string>; accounts: Record<AccountField, string> };

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
  const result = resultFor(actionData);
  const [params] = useSearchParams();
  const texts = (s ? (JSON.parse(s.vatExemptionTexts || "{}") as Record<string, string | undefined>) : {}) ?? {};
  const [form, fields] = useAppForm<SettingsShape>({
    id: "settings",
    lastResult: result,
    defaultValue: {
      name: s?.name,
      orgNumber: s?.orgNumber,
      vatNumber: s?.vatNumber,
      street: s?.street,
      postalCode: s?.postalCode,
      city: s?.city,
      email: s?.email,
      phone: s?.phone,
      bankgiro: s?.bankgiro,
      nextInvoiceNumber: s?.nextInvoiceNumber ?? defaultNumber,
      paymentTermsDays: s?.paymentTermsDays ?? 30,
      ourReference: s?.ourReference,
      vatRateEntryFee: s?.vatRateEntryFee ?? 0,
      vatRateAnnualFee: s?.vatRateAnnualFee ?? 0,
      vatRateProjectShare: s?.vatRateProjectShare ?? 0,
      vatExemptionText: s?.vatExemptionText ?? defaultExemptionText,
      footer: s?.footer ?? "",
      fSkatt: s ? String(s.fSkatt) : "false",
      peppolId: s?.peppolId,
      vatExemptionTexts: texts,
      accounts,
    },
  });
  const exemptionTexts = fields.vatExemptionTexts.getFieldset();
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
      <FormErrors result={result} />
      <Form method="post" className="stack" {...formProps(form)}>
        <section className="card" aria-labelledby="org-h">
          <h2 id="org-h" style={{ marginTop: 0 }}>
            Föreningen
          </h2>
          <div className="form-row">
            <Field field={fields.name} label="Namn" size="l" />
            <Field field={fields.orgNumber} label="Organisationsnummer" placeholder="NNNNNN-NNNN" />
            <Field field={fields.vatNumber} label="Momsregistreringsnummer (om registrerad)" placeholder="SE…01" />
          </div>
          <div className="form-row">
            <Field field={fields.street} label="Gatuadress" size="l" />
            <Field field={fields.postalCode} label="Postnummer" size="s" />
            <Field field={fields.city} label="Ort" />
          </div>
          <div className="form-row">
            <Field field={fields.email} label="E-post" type="email" />
            <Field field={fields.phone} label="Telefon" />
            <Field field={fields.bankgiro} label="Bankgiro" placeholder="NNNN-NNNN" />
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
              field={fields.nextInvoiceNumber}
              label="Nästa fakturanummer"
              inputMode="numeric"
              hint={`Får bara höjas, lägst ${lowest}. Året följt av ett löpnummer: ${currentYear()}001 räcker till 999 fakturor om året, ${currentYear()}0001 till 9 999.`}
            />
            <Field field={fields.paymentTermsDays} label="Betalningsvillkor (dagar)" inputMode="numeric" size="s" />
            <Field field={fields.ourReference} label="Vår referens" />
          </div>
          <div className="form-row">
            <SelectField field={fields.vatRateEntryFee} label="Moms på medlemsinsats" options={RATE_OPTIONS} />
            <SelectField field={fields.vatRateAnnualFee} label="Moms på årsavgift" options={RATE_OPTIONS} />
            <SelectField field={fields.vatRateProjectShare} label="Moms på projektandel" options={RATE_OPTIONS} />
          </div>
          <Field field={fields.vatExemptionText} label="Text när ingen moms tas ut" size="l" />
          <TextAreaField field={fields.footer} label="Sidfot på fakturan" rows={3} />
        </section>
        <BookkeepingFieldset fields={fields.accounts} />
        {/* E-invoicing (docs/e-invoice.md): its own block, so the other parts of the page can grow beside it. */}
        <section className="card" aria-labelledby="einv-h">
          <h2 id="einv-h" style={{ marginTop: 0 }}>
            E-faktura och skatt
          </h2>
          <div className="form-row">
            <SelectField
              field={fields.fSkatt}
              label="Godkänd för F-skatt"
              options={[
                { value: "false", label: "Nej" },
                { value: "true", label: "Ja – skrivs på fakturan och i e-fakturan" },
              ]}
            />
            <Field
              field={fields.peppolId}
              label="Föreningens Peppol-id"
              placeholder="0007:organisationsnummer"
              hint="Tomt = 0007 och föreningens organisationsnummer."
            />
          </div>
          <p className="small muted">
            Momstext per avgiftsslag när ingen moms tas ut (tomt = texten ovan). En projektandel är inte en
            medlemsavgift, så den kan behöva en egen text.
          </p>
          <div className="form-row">
            <Field field={exemptionTexts.entry_fee} label="Momstext för medlemsinsats" size="l" />
            <Field field={exemptionTexts.annual_fee} label="Momstext för årsavgift" size="l" />
          </div>
          <div className="form-row">
            <Field field={exemptionTexts.project_share} label="Momstext för projektandel" size="l" />
            <Field field={exemptionTexts.project_adjustment} label="Momstext för projektjustering" size="l" />
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
