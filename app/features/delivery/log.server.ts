import { deliveryStateOf, type DeliveryState } from "../../../billing/delivery";
import { db } from "../../../db/client";
import * as deliveriesDb from "../../../db/deliveries";
import { DeliveryReport } from "./send.server";

/** The delivery log of invoices (docs/delivery.md) as pages and the API read it. */

export function deliveryLog(invoiceId: number) {
  return deliveriesDb.deliveryLog(db(), invoiceId);
}

export function deliveryJson(d: deliveriesDb.DeliveryLogRow) {
  return {
    id: d.id,
    kind: d.reminderId === null ? "invoice" : "reminder",
    reminderId: d.reminderId,
    channel: d.channel,
    status: d.status,
    recipient: d.recipient,
    messageId: d.messageId,
    error: d.error,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    sentBy: d.sentByLabel,
  };
}

export function reportJson(r: DeliveryReport) {
  return { invoiceId: r.invoiceId, number: r.number, channel: r.channel, status: r.status, detail: r.detail };
}

/** Where each invoice stands (unsent, sending, sent, failed), for the invoice list. */
export function deliveryStates(invoiceIds: number[]): Map<number, DeliveryState> {
  const map = new Map<number, DeliveryState>();
  for (const [id, list] of deliveriesDb.attemptsByInvoice(db(), invoiceIds)) map.set(id, deliveryStateOf(list));
  return map;
}
