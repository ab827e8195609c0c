import { Form, Link, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { DELIVERY_CHANNELS } from "../../billing/delivery";
import { countOf, deliveryChannelLabel } from "~/lib/i18n";
import type { RunDeliverySummary } from "~/features/delivery/runs.server";

/*
 * The "Utskick" part of a billing run's page (docs/delivery.md): what has gone out by which channel, a
 * confirmation before sending, and the progress while a run is being sent — polled with JavaScript, and by a
 * plain page refresh without it.
 */
export function RunDelivery({
  runId,
  summary,
  canSend,
  confirming,
}: {
  runId: number;
  summary: RunDeliverySummary;
  canSend: boolean;
  confirming: boolean;
}) {
  const { progress, channels, toSend } = summary;
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!progress) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [progress, revalidator]);
  const total = DELIVERY_CHANNELS.reduce((n, c) => n + channels[c].total, 0);
  const pending = DELIVERY_CHANNELS.reduce((n, c) => n + toSend[c], 0);
  if (total === 0) return null;
  return (
    <section className="card" aria-labelledby="delivery-h" style={{ marginTop: 16 }} data-testid="run-delivery">
      <h2 id="delivery-h" style={{ marginTop: 0 }}>
        Utskick
      </h2>
      {progress ? (
        <>
          <noscript>
            <meta httpEquiv="refresh" content="2" />
          </noscript>
          <p role="status" data-testid="send-progress">
            Skickar … {progress.done} av {progress.total} klara
            {progress.failed > 0 ? `, ${progress.failed} misslyckades` : ""}. Sidan uppdateras av sig själv.
          </p>
          <progress
            max={progress.total}
            value={progress.done}
            style={{ width: "100%" }}
            aria-label="Skickade fakturor"
          />
        </>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Kanal</th>
              <th scope="col" className="num">
                Fakturor
              </th>
              <th scope="col" className="num">
                Skickade
              </th>
              <th scope="col" className="num">
                Misslyckade
              </th>
              <th scope="col" className="num">
                Ej skickade
              </th>
            </tr>
          </thead>
          <tbody>
            {DELIVERY_CHANNELS.filter((c) => channels[c].total > 0).map((c) => (
              <tr key={c} data-testid={`delivery-${c}`}>
                <td>{deliveryChannelLabel[c]}</td>
                <td className="num">{channels[c].total}</td>
                <td className="num">{channels[c].sent}</td>
                <td className="num">{channels[c].failed}</td>
                <td className="num">{channels[c].unsent + channels[c].sending}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions" style={{ marginTop: 8 }}>
        {summary.printed > 0 ? (
          <a className="btn btn-secondary" href={`/billing/runs/${runId}/print.pdf`}>
            Utskrift: {countOf(summary.printed, "faktura", "fakturor")} (PDF)
          </a>
        ) : null}
        {canSend && !progress && pending > 0 && !confirming ? (
          <Link className="btn" to="?send=1">
            Skicka ut {countOf(pending, "faktura", "fakturor")}
          </Link>
        ) : null}
        {canSend && !progress && pending === 0 ? (
          <Link className="btn btn-secondary" to="?send=1">
            Skicka om …
          </Link>
        ) : null}
      </div>
      {canSend && confirming && !progress ? (
        <div className="alert alert-warning" data-testid="confirm-send" style={{ marginTop: 12 }}>
          <h3 style={{ marginTop: 0 }}>
            {pending > 0 ? `Skicka ut ${countOf(pending, "faktura", "fakturor")}?` : "Allt är redan skickat"}
          </h3>
          {pending > 0 ? (
            <ul>
              {DELIVERY_CHANNELS.filter((c) => toSend[c] > 0).map((c) => (
                <li key={c}>
                  {toSend[c]} med {deliveryChannelLabel[c].toLowerCase()}
                  {c === "peppol"
                    ? " (till utkorgen för vår Peppol-operatör)"
                    : c === "print"
                      ? " (samlas i en PDF att skriva ut)"
                      : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p>Kryssa i rutan nedan för att skicka alla fakturor i körningen en gång till.</p>
          )}
          {summary.missingEmail > 0 ? (
            <p>
              {summary.missingEmail === 1
                ? "1 medlem med e-post saknar e-postadress för fakturor: den fakturan misslyckas."
                : `${summary.missingEmail} medlemmar med e-post saknar e-postadress för fakturor: de fakturorna misslyckas.`}
            </p>
          ) : null}
          {summary.missingUbl > 0 ? (
            <p>{summary.missingUbl} Peppol-fakturor saknar e-fakturadokument: de misslyckas tills det finns.</p>
          ) : null}
          <p className="small">
            Fakturor som redan är skickade hoppas över. Misslyckade kan du skicka igen: bara de skickas då.
          </p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="send" />
            <label>
              <input type="checkbox" name="resend" value="on" /> Skicka om även de som redan är skickade
            </label>
            <div className="actions">
              <button className="btn" type="submit">
                Ja, skicka
              </button>
              <Link className="btn btn-secondary" to=".">
                Avbryt
              </Link>
            </div>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
