import type { Db } from "../../../db/client";
import { issuedFeeYears } from "../../../db/issued-fees";
import { DomainError } from "../../../billing/errors";

/* Fees are frozen once issued (docs/adjustments.md): one refusal, used by schedules and board decisions alike. */

/** Refuses (409, naming the year) a change that would alter fees of years [from, to) already issued. */
export function assertFeesNotIssued(
  tx: Db,
  span: { from: number; to?: number | null; memberId?: number },
  field = "validFrom",
): void {
  const years = issuedFeeYears(tx, span);
  if (years.length === 0) return;
  const y = years[0];
  const message =
    `Avgifterna för ${y} är redan fakturerade och ändras inte i efterhand. ` +
    `Kreditera ${y} års avgiftsfakturor och fakturera om, eller låt ändringen gälla från ${years.at(-1)! + 1}.`;
  throw new DomainError("conflict", "fees_issued", message, { [field]: message });
}
