import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  appRoutes,
  fill,
  startSecurityContext,
  stopSecurityContext,
  YEAR,
  type Params,
  type SecurityContext,
} from "../security/fixture";

/*
 * Every page form answers a bad submission the same way, without JavaScript (docs/ui.md#forms): the status it has
 * always had (422 for a validation), the page again with the message at its input (aria-invalid, the message in
 * the element aria-describedby names), what was typed kept, and the summary "Rätta fältet som är markerat nedan"
 * only when an input is marked. The posts are plain form posts, as a browser without scripts sends them.
 */
const ROUTES = appRoutes();
let ctx: SecurityContext;
beforeAll(async () => {
  ctx = await startSecurityContext();
}, 120_000);
afterAll(async () => {
  await stopSecurityContext(ctx);
});

type Role = "admin" | "treasurer" | "member" | "anonymous";

interface Case {
  as: Role;
  params?: (c: SecurityContext) => Params;
  /** The form's fields; a File makes it a multipart post. */
  body: (c: SecurityContext) => Record<string, string | File>;
  status: number;
  /** The input that is marked (its id) and its message; none for a form whose only inputs are hidden. */
  field?: { id: string; message: string };
  /** A message for the whole form. */
  formMessage?: string;
  /** A value that was typed and must be shown again. */
  kept?: string;
}

const empty = () => new File([], "", { type: "application/octet-stream" });
const memberFields = {
  kind: "municipality",
  name: "",
  municipalityCode: "1480",
  orgNumber: "212000-1355",
  joinedOn: "2020-01-01",
  "invoiceAddress.street": "Box 1",
  "invoiceAddress.postalCode": "404 82",
  "invoiceAddress.city": "Göteborg",
  invoiceEmail: "",
  reference: "",
  contactName: "Kvar Kvarsson",
  contactEmail: "",
  contactPhone: "",
};
const projectFields = {
  code: "P 9",
  name: "Skrivet namn",
  description: "",
  status: "open",
  allocationKey: "equal",
  basePercent: "",
};

const CASES: Record<string, Case> = {
  "routes/login": {
    as: "anonymous",
    body: () => ({ email: "", password: "", redirectTo: "/" }),
    status: 422,
    field: { id: "f-email", message: "E-postadressen måste anges" },
  },
  "routes/members.new": {
    as: "admin",
    body: () => ({ ...memberFields, "population.year": "", "population.population": "" }),
    status: 422,
    field: { id: "f-name", message: "Namnet måste anges" },
    kept: "Kvar Kvarsson",
  },
  "routes/members.$id_.edit": {
    as: "admin",
    params: (c) => ({ id: c.members.goteborg }),
    body: () => ({ ...memberFields, resignedOn: "", peppolId: "", deliveryChannel: "" }),
    status: 422,
    field: { id: "f-name", message: "Namnet måste anges" },
    kept: "Kvar Kvarsson",
  },
  "routes/members.$id": {
    as: "admin",
    params: (c) => ({ id: c.members.goteborg }),
    body: () => ({ intent: "population", year: String(YEAR), population: "många" }),
    status: 422,
    field: { id: "f-population", message: "Invånarantalet ska vara ett heltal" },
    kept: "många",
  },
  "routes/projects.new": {
    as: "admin",
    body: () => projectFields,
    status: 422,
    field: { id: "f-code", message: "Projektkoden får bara innehålla A–Z, 0–9 och -, t.ex. P-001" },
    kept: "Skrivet namn",
  },
  "routes/projects.$id.edit": {
    as: "admin",
    params: (c) => ({ id: c.projects.joined }),
    body: () => projectFields,
    status: 422,
    field: { id: "f-code", message: "Projektkoden får bara innehålla A–Z, 0–9 och -, t.ex. P-001" },
    kept: "Skrivet namn",
  },
  "routes/projects.$id._index": {
    as: "admin",
    params: (c) => ({ id: c.projects.joined }),
    body: () => ({ intent: "budget", year: String(YEAR + 1), amount: "-1", note: "Skriven anteckning" }),
    status: 422,
    field: { id: "f-amount", message: "Budgeten får inte vara negativt" },
    kept: "Skriven anteckning",
  },
  "routes/projects.$id.participants.$memberId": {
    as: "admin",
    params: (c) => ({ id: c.projects.joined, memberId: c.members.goteborg }),
    body: () => ({ intent: "update", joinedOn: "2024-01-01", leftOn: "2023-01-01", weight: "" }),
    status: 422,
    field: { id: "f-leftOn", message: "Slutdatumet kan inte ligga före startdatumet (2024-01-01)" },
    kept: "2023-01-01",
  },
  "routes/projects.$id.join": {
    as: "member",
    params: (c) => ({ id: c.projects.other }),
    body: () => ({}),
    status: 422,
    formMessage: "Bekräfta anmälan med knappen Gå med.",
  },
  "routes/projects.$id.leave": {
    as: "member",
    params: (c) => ({ id: c.projects.joined }),
    body: () => ({}),
    status: 422,
    formMessage: "Bekräfta med knappen Lämna projektet.",
  },
  "routes/invoices.$id": {
    as: "treasurer",
    params: (c) => ({ id: c.invoices.overdue }),
    body: () => ({ intent: "payment", amount: "tusen", paidOn: "2025-03-01", note: "Skriven anteckning" }),
    status: 422,
    field: { id: "f-amount", message: "Beloppet ska vara ett belopp i kronor med högst två decimaler" },
    kept: "Skriven anteckning",
  },
  "routes/billing._index": {
    as: "treasurer",
    body: () => ({ year: "nästa år", charges: "annual_fee" }),
    status: 422,
    field: { id: "f-year", message: "Året ska vara ett heltal" },
  },
  "routes/billing.runs.$id": {
    as: "treasurer",
    params: (c) => ({ id: c.runs.drafts }),
    body: (c) => {
      const [line] = c.sql<{ id: number }>("SELECT id FROM invoice_lines WHERE invoice_id = ?", c.invoices.ownDraft);
      return {
        intent: "updateLine",
        invoiceId: String(c.invoices.ownDraft),
        lineId: String(line.id),
        description: "Skriven rad",
        amount: "-5",
      };
    },
    status: 422,
    field: { id: "amount-LINE", message: "Beloppet får inte vara negativt" },
    kept: "Skriven rad",
  },
  "routes/fee-schedules": {
    as: "admin",
    body: () => ({
      validFrom: "snart",
      note: "Skriven anteckning",
      "brackets[0].name": "small",
      "brackets[0].label": "",
      "brackets[0].minPopulation": "0",
      "brackets[0].entryFee": "5000.00",
      "brackets[0].annualFee": "8000.00",
    }),
    status: 422,
    field: { id: "f-validFrom", message: "Giltig från ska vara ett heltal" },
    kept: "Skriven anteckning",
  },
  "routes/settings": {
    as: "treasurer",
    body: () => ({ name: "Skriven förening", email: "inte-en-adress" }),
    status: 422,
    field: { id: "f-email", message: "E-postadressen ser inte ut som en e-postadress" },
    kept: "Skriven förening",
  },
  "routes/admin.users": {
    as: "admin",
    body: () => ({
      intent: "create",
      name: "Skriven Användare",
      email: "inte-en-adress",
      password: "hemligt-lösenord-123",
      role: "treasurer",
      memberId: "",
    }),
    status: 422,
    field: { id: "f-email", message: "E-postadressen ser inte ut som en e-postadress" },
    kept: "Skriven Användare",
  },
  "routes/payment-files._index": {
    as: "treasurer",
    body: () => ({ intent: "upload", file: empty() }),
    status: 422,
    field: { id: "f-file", message: "Välj BgMax-filen från banken" },
  },
  "routes/payment-files.$id": {
    as: "treasurer",
    params: (c) => ({ id: c.paymentFiles.preview }),
    body: () => ({ intent: "apply", confirmedApplied: "allt" }),
    status: 422,
    formMessage: "Det bekräftade beloppet ska vara ett heltal",
  },
  "routes/populations.import": {
    as: "admin",
    body: () => ({ year: "i fjol", file: new File(["code,name\n"], "scb.csv", { type: "text/csv" }) }),
    status: 422,
    field: { id: "f-year", message: "Året ska vara ett heltal" },
  },
  "routes/unmatched-payments": {
    as: "treasurer",
    body: (c) => ({ intent: "refund", id: String(c.unmatched.open), note: "" }),
    status: 422,
    field: { id: "f-note", message: "Anteckningen måste anges" },
  },
};

async function post(c: SecurityContext, url: string, as: Role, body: Record<string, string | File>) {
  const headers: Record<string, string> = as === "anonymous" ? {} : { Cookie: c.cookie[as] };
  const multipart = Object.values(body).some((v) => typeof v !== "string");
  let payload: BodyInit;
  if (multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) form.append(k, v);
    payload = form;
  } else {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(body as Record<string, string>);
  }
  return fetch(`${c.server.url}${url}`, { method: "POST", headers, body: payload, redirect: "manual" });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("every page form answers a bad submission with its messages, without JavaScript", () => {
  test("each route with a form has a case here", () => {
    const formRoutes = ROUTES.filter((r) => !r.api && r.hasAction && r.id !== "routes/logout").map((r) => r.id);
    expect(Object.keys(CASES).sort()).toEqual(formRoutes.sort());
  });

  test.each(Object.entries(CASES))("%s", async (id, c) => {
    const route = ROUTES.find((r) => r.id === id)!;
    const url = fill(route.path, c.params?.(ctx) ?? {});
    const before = ctx.fingerprint();
    const body = c.body(ctx);
    const res = await post(ctx, url, c.as, body);
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(c.status);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    if (c.field) {
      const fieldId = c.field.id.replace("LINE", String(body.lineId));
      // The input is marked and points at its message, which is there, next to it.
      expect(html).toMatch(
        new RegExp(
          `<input[^>]*id="${escape(fieldId)}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*${escape(fieldId)}-error`,
        ),
      );
      expect(html).toMatch(new RegExp(`id="${escape(fieldId)}-error"[^>]*>${escape(c.field.message)}<`));
      expect(html).toMatch(/Rätta (fältet som är markerat|de \d+ fälten som är markerade) nedan\./);
    } else {
      // Only hidden inputs: the message is the form's, and no input is said to be marked.
      expect(html).not.toContain('aria-invalid="true"');
      expect(html).not.toMatch(/Rätta (fältet|de \d+ fälten)/);
    }
    if (c.formMessage) expect(html).toMatch(new RegExp(`role="alert"><p>${escape(c.formMessage)}</p>`));
    if (c.kept) expect(html).toContain(`value="${c.kept}"`);
    // A password is never typed back into the page.
    if (typeof body.password === "string" && body.password) expect(html).not.toContain(body.password);
    expect(ctx.fingerprint()).toEqual(before);
  });
});
