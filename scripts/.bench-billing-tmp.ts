import fs from "node:fs";
const file = `/tmp/bb/bench-${Date.now()}.db`;
process.env.DATABASE_PATH = file;
const { transaction } = await import("../db/client");
const { insertMember, upsertPopulation } = await import("../db/members");
const { insertProject, upsertBudget, insertParticipant } = await import("../db/projects");
const { generateOrgNumber } = await import("../billing/identifiers");
const { saveSettings } = await import("../app/services/settings.server");
const { createBillingRun, issueRun, runDocuments } = await import("../app/services/billing.server");
const { renderInvoicePdf } = await import("../billing/pdf");
const { SYSTEM_SCOPE } = await import("../db/scope");
transaction((tx) => {
  for (let i = 0; i < 290; i++) {
    const code = String(100 + i).padStart(4, "0").replace(/^0/, "1");
    const m = insertMember(tx, { kind: "municipality", name: `Kommun ${i}`, municipalityCode: String(1000 + i), orgNumber: generateOrgNumber(`2120${String(10000 + i)}`), joinedOn: "2020-01-01", street: "Gatan 1", postalCode: "111 11", city: "Ort", reference: "Ref" });
    upsertPopulation(tx, m.id, 2025, 5000 + i * 997);
  }
  for (let p = 0; p < 10; p++) {
    const pr = insertProject(tx, { code: `P-${p}`, name: `Projekt ${p}`, status: "open", allocationKey: "per_capita" } as never);
    upsertBudget(tx, { projectId: pr.id, year: 2026, amountOre: 100_000_000 + p, note: "" });
    for (let i = 1; i <= 290; i++) insertParticipant(tx, { projectId: pr.id, memberId: i, joinedOn: "2020-01-01", leftOn: null, weight: null } as never);
  }
});
saveSettings(SYSTEM_SCOPE, { name: "F", orgNumber: "802412-3344", vatNumber: null, street: "B", postalCode: "111 11", city: "S", email: "a@b.se", phone: null, bankgiro: "5050-1055", paymentTermsDays: 30, nextInvoiceNumber: 2026001, ourReference: "K", vatRateEntryFee: 0, vatRateAnnualFee: 0, vatRateProjectShare: 0, vatExemptionText: "Momsfri", footer: "" });
let t = performance.now();
const run = createBillingRun(SYSTEM_SCOPE, { year: 2026, charges: ["annual_fee", "project_share"] });
console.log("run", (performance.now() - t).toFixed(0), "ms", run.invoiceIds.length, run.problems.length);
t = performance.now();
issueRun(SYSTEM_SCOPE, run.run.id);
console.log("issue", (performance.now() - t).toFixed(0), "ms");
t = performance.now();
const docs = runDocuments(run.run.id);
console.log("load docs", (performance.now() - t).toFixed(0), "ms", docs.length, "size", fs.statSync(file).size);
t = performance.now();
for (const d of docs.slice(0, 5)) await renderInvoicePdf(d);
console.log("pdf", (performance.now() - t).toFixed(0), "ms");
t = performance.now();
let n = 0;
for (const d of docs) n += JSON.stringify(d).length;
console.log("stringify", (performance.now() - t).toFixed(0), "ms", n);
const { db } = await import("../db/client");
t = performance.now();
const rows = (await import("../db/invoices")).listInvoices(db(), SYSTEM_SCOPE, { runId: run.run.id });
console.log("listInvoices", (performance.now() - t).toFixed(0), "ms", rows.length);
