import { BAS_ACCOUNTS, accountSettingsOf, type AccountField } from "../../billing/accounts";
import type { FieldMetadata } from "@conform-to/react";
import { Field } from "./form";

/*
 * The settings page's "Bokföring" part: the account of each use in the SIE export (docs/sie.md). Its own
 * component so the settings page keeps one line for it.
 */
const LABELS: Record<AccountField, string> = {
  receivables: "Kundfordringar",
  bank: "Bank (inbetalningar)",
  vat25: "Utgående moms 25 %",
  vat12: "Utgående moms 12 %",
  vat6: "Utgående moms 6 %",
  entry_fee: "Intäkt medlemsinsats",
  annual_fee: "Intäkt årsavgift",
  project_share: "Intäkt projektandel",
  project_adjustment: "Intäkt projektjustering",
};
const BAS = accountSettingsOf(BAS_ACCOUNTS);

/** `fields` is the settings form's `accounts` group (its defaults are the accounts in use). */
export function BookkeepingFieldset({
  fields,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the group belongs to any form's shape
  fields: FieldMetadata<Record<AccountField, string>, any, string[]>;
}) {
  const accounts = fields.getFieldset();
  const rows: AccountField[][] = [
    ["receivables", "bank"],
    ["vat25", "vat12", "vat6"],
    ["entry_fee", "annual_fee", "project_share", "project_adjustment"],
  ];
  return (
    <section className="card" aria-labelledby="bokforing-h">
      <h2 id="bokforing-h" style={{ marginTop: 0 }}>
        Bokföring
      </h2>
      <p className="hint">
        Konton (BAS, fyra siffror) i SIE-filen till bokföringsprogrammet. Ett tomt fält betyder BAS-kontot som står
        under fältet.
      </p>
      {rows.map((row) => (
        <div className="form-row" key={row[0]}>
          {row.map((f) => (
            <Field key={f} field={accounts[f]} label={LABELS[f]} inputMode="numeric" hint={`BAS: ${BAS[f]}`} size="s" />
          ))}
        </div>
      ))}
    </section>
  );
}
