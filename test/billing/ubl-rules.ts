import { convert } from "xmlbuilder2";
import { Decimal } from "../../billing/money";
import { luhnValid } from "../../billing/identifiers";

/*
 * Our own check of the Peppol rules that matter most (the table in docs/e-invoice.md), on the XML parsed back with
 * the same library that wrote it. It runs on every test run, also where the official rules are not on the
 * machine; where they are, test/billing/ubl-validation.test.ts runs them too.
 */

type Node = Record<string, unknown>;

export function parseUbl(xml: string): { root: Node; kind: "Invoice" | "CreditNote" } {
  const obj = convert(xml, { format: "object" }) as Record<string, Node>;
  if (obj.Invoice) return { root: obj.Invoice, kind: "Invoice" };
  if (obj.CreditNote) return { root: obj.CreditNote, kind: "CreditNote" };
  throw new Error(`not an Invoice or CreditNote: ${Object.keys(obj).join(", ")}`);
}

/** The nodes at a path of element names ("cac:TaxTotal/cac:TaxSubtotal"), arrays flattened. */
export function all(node: unknown, path: string): unknown[] {
  let current: unknown[] = [node];
  for (const step of path.split("/")) {
    const next: unknown[] = [];
    for (const n of current) {
      if (typeof n !== "object" || n === null) continue;
      const child = (n as Node)[step];
      if (child === undefined) continue;
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    current = next;
  }
  return current;
}

/** xmlbuilder2's object form keeps text in its escaped spelling; the five XML entities are decoded here. */
function unescapeXml(s: string): string {
  return s
    .replace(/&(lt|gt|quot|apos);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'" })[e]!)
    .replace(/&amp;/g, "&");
}

export function text(node: unknown): string {
  if (typeof node === "string") return unescapeXml(node);
  if (typeof node === "object" && node !== null && "#" in node) return unescapeXml(String((node as Node)["#"]));
  if (typeof node === "object" && node !== null && Object.keys(node).length === 0) return "";
  throw new Error(`not a text node: ${JSON.stringify(node).slice(0, 100)}`);
}

export function attr(node: unknown, name: string): string | undefined {
  const value =
    typeof node === "object" && node !== null ? ((node as Node)[`@${name}`] as string | undefined) : undefined;
  return value === undefined ? undefined : unescapeXml(value);
}

export function one(node: unknown, path: string): string {
  const found = all(node, path);
  if (found.length !== 1) throw new Error(`expected one ${path}, found ${found.length}`);
  return text(found[0]);
}

const dec = (s: string) => new Decimal(s);

/** The ids of the rules this document breaks; [] when it keeps them all. */
export function brokenRules(xml: string): string[] {
  const { root, kind } = parseUbl(xml);
  const broken = new Set<string>();
  const lineName = kind === "Invoice" ? "cac:InvoiceLine" : "cac:CreditNoteLine";
  const lines = all(root, lineName);
  const totals = all(root, "cac:LegalMonetaryTotal")[0];
  const amount = (path: string) => dec(one(totals, path));

  if (all(root, "cbc:BuyerReference").length === 0 && all(root, "cac:OrderReference/cbc:ID").length === 0)
    broken.add("PEPPOL-EN16931-R003");
  if (lines.length === 0) broken.add("BR-16");
  for (const l of lines) {
    for (const p of ["cbc:ID", "cbc:LineExtensionAmount", "cac:Item/cbc:Name", "cac:Price/cbc:PriceAmount"]) {
      if (all(l, p).length !== 1) broken.add("BR-21..26");
    }
    if (all(l, "cac:Price/cbc:PriceAmount").length === 1 && dec(one(l, "cac:Price/cbc:PriceAmount")).isNegative())
      broken.add("BR-27");
    // The line's net amount is its quantity × its price (PEPPOL-EN16931-R120, no allowances or charges here).
    const quantityPath = kind === "Invoice" ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity";
    if (all(l, quantityPath).length === 1 && all(l, "cac:Price/cbc:PriceAmount").length === 1) {
      const net = dec(one(l, quantityPath)).times(one(l, "cac:Price/cbc:PriceAmount"));
      if (!net.equals(one(l, "cbc:LineExtensionAmount"))) broken.add("PEPPOL-EN16931-R120");
    }
  }

  const lineSum = lines.reduce<Decimal>((s, l) => s.plus(one(l, "cbc:LineExtensionAmount")), dec("0"));
  if (!lineSum.equals(amount("cbc:LineExtensionAmount"))) broken.add("BR-CO-10");
  if (!amount("cbc:TaxExclusiveAmount").equals(amount("cbc:LineExtensionAmount"))) broken.add("BR-CO-13");
  const taxTotal = dec(one(root, "cac:TaxTotal/cbc:TaxAmount"));
  if (!amount("cbc:TaxInclusiveAmount").equals(amount("cbc:TaxExclusiveAmount").plus(taxTotal))) broken.add("BR-CO-15");
  if (!amount("cbc:PayableAmount").equals(amount("cbc:TaxInclusiveAmount"))) broken.add("BR-CO-16");

  const subtotals = all(root, "cac:TaxTotal/cac:TaxSubtotal");
  const subtotalTax = subtotals.reduce<Decimal>((s, t) => s.plus(one(t, "cbc:TaxAmount")), dec("0"));
  if (!subtotalTax.equals(taxTotal)) broken.add("BR-CO-14");
  const categories = subtotals.map((t) => one(t, "cac:TaxCategory/cbc:ID"));
  for (const t of subtotals) {
    const id = one(t, "cac:TaxCategory/cbc:ID");
    const taxable = dec(one(t, "cbc:TaxableAmount"));
    const tax = dec(one(t, "cbc:TaxAmount"));
    const percent = all(t, "cac:TaxCategory/cbc:Percent").map(text);
    const ofCategory = lines.filter((l) => {
      const c = one(l, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID");
      const p = all(l, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent").map(text);
      return c === id && p.join() === percent.join();
    });
    const sum = ofCategory.reduce<Decimal>((s, l) => s.plus(one(l, "cbc:LineExtensionAmount")), dec("0"));
    if (id === "S") {
      if (!sum.equals(taxable)) broken.add("BR-S-08");
      const expected = taxable
        .times(percent[0] ?? "0")
        .dividedBy(100)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      if (expected.minus(tax).abs().greaterThanOrEqualTo(1)) broken.add("BR-CO-17");
      if (!["6", "12", "25"].includes(percent[0] ?? "")) broken.add("SE-R-006");
    }
    if (id === "O") {
      if (!sum.equals(taxable)) broken.add("BR-O-08");
      if (!tax.isZero()) broken.add("BR-O-09");
      if (percent.length > 0) broken.add("BR-O-05");
      const reason = [
        ...all(t, "cac:TaxCategory/cbc:TaxExemptionReason"),
        ...all(t, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
      ];
      if (reason.length === 0) broken.add("BR-O-10");
    }
  }
  if (categories.includes("O")) {
    if (categories.length !== 1 || lines.some((l) => one(l, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") !== "O"))
      broken.add("BR-O-11");
    const vatIds = all(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme").filter(
      (s) => one(s, "cac:TaxScheme/cbc:ID") === "VAT",
    );
    if (vatIds.length > 0) broken.add("BR-O-02");
  }

  const seller = all(root, "cac:AccountingSupplierParty/cac:Party")[0];
  const sellerOrg = one(seller, "cac:PartyLegalEntity/cbc:CompanyID");
  if (!/^\d+$/.test(sellerOrg)) broken.add("SE-R-003");
  if (sellerOrg.length !== 10) broken.add("SE-R-004");
  if (!luhnValid(sellerOrg)) broken.add("SE-R-013");
  for (const s of all(seller, "cac:PartyTaxScheme")) {
    if (one(s, "cac:TaxScheme/cbc:ID") !== "VAT" && one(s, "cbc:CompanyID") !== "Godkänd för F-skatt")
      broken.add("SE-R-005");
    if (one(s, "cac:TaxScheme/cbc:ID") === "VAT" && !/^SE\d{12}$/.test(one(s, "cbc:CompanyID")))
      broken.add("SE-R-001/002");
  }
  // PEPPOL-COMMON-R049: every id with scheme 0007 anywhere is a valid organisation number.
  const ids0007 = [
    ...all(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID"),
    ...all(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"),
    ...all(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
    ...all(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
  ].filter((n) => attr(n, "schemeID") === "0007");
  if (ids0007.some((n) => !/^\d{10}$/.test(text(n)) || !luhnValid(text(n)))) broken.add("PEPPOL-COMMON-R049");
  for (const party of ["cac:AccountingSupplierParty", "cac:AccountingCustomerParty"]) {
    if (all(root, `${party}/cac:Party/cbc:EndpointID`).length !== 1)
      broken.add(party.includes("Supplier") ? "PEPPOL-EN16931-R020" : "PEPPOL-EN16931-R010");
  }
  for (const m of all(root, "cac:PaymentMeans")) {
    const branch = all(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID").map(text);
    if (branch.includes("SE:BANKGIRO")) {
      const account = one(m, "cac:PayeeFinancialAccount/cbc:ID");
      if (!/^\d+$/.test(account)) broken.add("SE-R-008");
      if (account.length < 7 || account.length > 8) broken.add("SE-R-009");
      if (one(m, "cbc:PaymentMeansCode") !== "30") broken.add("SE-R-011");
    }
  }
  return [...broken].sort();
}
