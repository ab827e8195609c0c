import { db } from "../../../db/client";
import * as membersDb from "../../../db/members";
import type { Scope } from "../../../db/scope";
import { matchesSearch } from "./queries.server";

/** The member as the API shows it (docs/api.md#members), private fields only for those who may see them. */
export function memberJson(view: membersDb.MemberView, populations: Array<{ year: number; population: number }>) {
  const p = view.private;
  return {
    id: view.id,
    kind: view.kind,
    name: view.name,
    municipalityCode: view.municipalityCode,
    orgNumber: view.orgNumber,
    joinedOn: view.joinedOn,
    resignedOn: view.resignedOn,
    populations: [...populations].sort((a, b) => a.year - b.year),
    invoiceAddress:
      p && p.street !== null && p.postalCode !== null && p.city !== null
        ? { street: p.street, postalCode: p.postalCode, city: p.city }
        : null,
    invoiceEmail: p?.invoiceEmail ?? null,
    reference: p?.reference ?? null,
    contact: p ? { name: p.contactName, email: p.contactEmail, phone: p.contactPhone } : null,
    // The stored values (null = the default); docs/e-invoice.md says what the defaults are.
    peppolId: p?.peppolId ?? null,
    deliveryChannel: p?.deliveryChannel ?? null,
  };
}

/** The directory as the API shows it: every member (optionally searched), private fields only where the caller may see them. */
export function listMembersJson(scope: Scope, filter: { q?: string } = {}) {
  const tx = db();
  const figures = membersDb.populationsByMember(tx);
  // listMembersWithPrivate filters by scope: a member user gets only its own row with private fields.
  const visible = new Map(membersDb.listMembersWithPrivate(tx, scope).map((row) => [row.id, row]));
  return membersDb
    .listPublicMembers(tx)
    .filter((m) => !filter.q || matchesSearch(m, filter.q))
    .map((m) => {
      const row = visible.get(m.id);
      const view: membersDb.MemberView = row ? membersDb.toView(row, true) : { ...m, private: null };
      return memberJson(view, figures.get(m.id) ?? []);
    });
}

/** One member as the API shows it, or null when there is no such member. */
export function getMemberJson(scope: Scope, id: number) {
  const tx = db();
  const view = membersDb.getMember(tx, scope, id);
  return view ? memberJson(view, membersDb.populationsOf(tx, id)) : null;
}
