import { env } from "../../env.server";

export interface DeliveryConfig {
  smtpUrl: string | null;
  smtpFrom: string | null;
  peppolOutbox: string;
  emailOutbox: string;
}

export function deliveryConfig(): DeliveryConfig {
  const e = env();
  return {
    smtpUrl: e.SMTP_URL ?? null,
    smtpFrom: e.SMTP_FROM ?? null,
    peppolOutbox: e.PEPPOL_OUTBOX,
    emailOutbox: e.EMAIL_OUTBOX,
  };
}
