import { type AllocationAppendix, type BuyerDetails, type InvoiceDocument } from "../../../billing/invoice-document";
import { db, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { type MemberRow } from "../../../db/members";
import { type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";

export function buyerOf(m: MemberRow): BuyerDetails {
  if (!m.street || !m.postalCode || !m.city) {
    throw new DomainError(
      "conflict",
      "buyer_address_missing",
      `${m.name} saknar fakturaadress: fyll i den innan fakturan skickas`,
    );
  }
  return {
    memberId: m.id,
    name: m.name,
    municipalityCode: m.municipalityCode,
    orgNumber: m.orgNumber,
    address: { street: m.street, postalCode: m.postalCode, city: m.city },
    email: m.invoiceEmail,
    reference: m.reference ?? "",
    peppolId: m.peppolId,
  };
}

/**
 * What is stored in invoices.document: the InvoiceDocument with its appendices replaced by the ids of their
 * frozen snapshots (allocation_snapshots), so that 290 invoices do not each carry 10 × 290 appendix rows.
 */
type StoredDocument = InvoiceDocument & { appendixIds?: number[] };

export function storeDocument(document: InvoiceDocument, appendixIds: number[]): string {
  const stored: StoredDocument = { ...document, appendices: [], appendixIds };
  return JSON.stringify(stored);
}

/** The full InvoiceDocument of stored JSON, with its appendices read back from their snapshots. */
export function readDocuments(tx: Db, jsons: string[]): InvoiceDocument[] {
  const stored = jsons.map((j) => JSON.parse(j) as StoredDocument);
  const ids = [...new Set(stored.flatMap((d) => d.appendixIds ?? []))];
  const snapshots = new Map<number, AllocationAppendix>();
  for (const [id, json] of invoicesDb.snapshotsByIds(tx, ids))
    snapshots.set(id, JSON.parse(json) as AllocationAppendix);
  return stored.map(({ appendixIds, ...doc }) => ({
    ...doc,
    appendices: [...doc.appendices, ...(appendixIds ?? []).map((id) => snapshots.get(id)!).filter(Boolean)],
  }));
}

/** The frozen document of an issued invoice the caller may see; null for drafts. */
export function invoiceDocument(scope: Scope, id: number): InvoiceDocument | null | undefined {
  const tx = db();
  const json = invoicesDb.getDocument(tx, scope, id);
  if (json === undefined) return undefined;
  return json === null ? null : readDocuments(tx, [json])[0];
}
