import { oreToDecimalString } from "../../../billing/money";
import { InvoiceView } from "./queries.server";

export function invoiceJson(v: InvoiceView) {
  return {
    id: v.id,
    kind: v.kind,
    number: v.number,
    status: v.status,
    overdue: v.overdue,
    memberId: v.memberId,
    memberName: v.memberName,
    runId: v.runId,
    year: v.year,
    issueDate: v.issueDate,
    dueDate: v.dueDate,
    ocr: v.ocr,
    creditedInvoiceId: v.creditedInvoiceId,
    creditReason: v.creditReason,
    lines: v.lines.map((l) => ({
      id: l.id,
      charge: l.chargeKind,
      chargeKey: l.chargeKey,
      projectId: l.projectId,
      year: l.year,
      description: l.description,
      quantity: l.quantity,
      unitPrice: oreToDecimalString(l.unitPrice),
      vatRate: l.vatRate,
      amount: oreToDecimalString(l.amount),
      vat: oreToDecimalString(l.vat),
    })),
    net: oreToDecimalString(v.netOre),
    vat: oreToDecimalString(v.vatOre),
    total: oreToDecimalString(v.totalOre),
    paid: oreToDecimalString(v.paid),
    credited: oreToDecimalString(v.credited),
    balance: oreToDecimalString(v.balance),
  };
}
