import { Form } from "@remix-run/react";
import type { AttemptStatus } from "../../billing/enums";
import { deliveryChannelLabel, deliveryStateLabel } from "~/lib/i18n";

/*
 * The delivery log of one invoice (docs/delivery.md): every attempt to send it or one of its reminders, with the
 * channel, the time, the result, the message id or file or the error, and who sent it; and the send button.
 */
export interface DeliveryLogEntry {
  id: number;
  reminderId: number | null;
  channel: keyof typeof deliveryChannelLabel;
  status: AttemptStatus;
  recipient: string | null;
  messageId: string | null;
  error: string | null;
  startedAt: string;
  sentByLabel: string;
  sentByName: string | null;
}

/** "2026-12-01 21:54" in Swedish time: the treasurer's clock, not UTC. */
function localTime(iso: string): string {
  return new Date(iso).toLocaleString("sv-SE", {
    timeZone: "Europe/Stockholm",
    dateStyle: "short",
    timeStyle: "short",
  });
}

export function DeliveryLog({
  invoiceId,
  deliveries,
  canSend,
}: {
  invoiceId: number;
  deliveries: DeliveryLogEntry[];
  canSend: boolean;
}) {
  const sent = deliveries.some((d) => d.reminderId === null && d.status === "sent");
  return (
    <section className="card" aria-labelledby="delivery-log-h" style={{ marginTop: 16 }} data-testid="delivery-log">
      <div className="page-head" style={{ marginBottom: 8 }}>
        <h2 id="delivery-log-h" style={{ margin: 0 }}>
          Utskick
        </h2>
        {canSend ? (
          <Form method="post" className="form-row">
            <input type="hidden" name="intent" value="send" />
            {/* Sending again what went out already is its own button: the treasurer asks for it (docs/delivery.md). */}
            {sent ? <input type="hidden" name="resend" value="on" /> : null}
            <button className={sent ? "btn btn-secondary" : "btn"} type="submit">
              {sent ? "Skicka igen" : "Skicka ut fakturan"}
            </button>
          </Form>
        ) : null}
      </div>
      {deliveries.length === 0 ? <p className="muted">Inte skickad än.</p> : null}
      {deliveries.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Vad</th>
                <th scope="col">Kanal</th>
                <th scope="col">Resultat</th>
                <th scope="col">Mottagare och meddelande</th>
                <th scope="col">Av</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row">
                  <td style={{ whiteSpace: "nowrap" }}>{localTime(d.startedAt)}</td>
                  <td>{d.reminderId === null ? "Faktura" : "Påminnelse"}</td>
                  <td>{deliveryChannelLabel[d.channel]}</td>
                  <td>
                    <span
                      className={
                        d.status === "sent" ? "badge badge-ok" : d.status === "failed" ? "badge badge-bad" : "badge"
                      }
                    >
                      {deliveryStateLabel[d.status]}
                    </span>
                  </td>
                  <td className="small" style={{ overflowWrap: "anywhere" }}>
                    {d.recipient ? <div>{d.recipient}</div> : null}
                    {d.error ? (
                      <div className="error">{d.error}</div>
                    ) : d.messageId ? (
                      <div className="muted">{d.messageId}</div>
                    ) : null}
                  </td>
                  <td className="small">{d.sentByName ?? d.sentByLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {invoiceId && deliveries.some((d) => d.channel === "print" && d.status === "sent" && d.reminderId === null) ? (
        <p className="small">
          Skrivs ut: <a href={`/invoices/${invoiceId}/pdf`}>fakturan som PDF</a>
        </p>
      ) : null}
    </section>
  );
}
