import { z } from "zod";
import { amount, integer, isoDate, text } from "./schemas";

/*
 * The zod schemas of bank payments and receivables, shared by the pages and /api/v1 (docs/bgmax.md,
 * docs/receivables.md). Messages in Swedish, one per field.
 */

/** Give an unmatched payment to an invoice: the whole amount, or part of it (the rest stays unmatched). */
export const AssignUnmatchedSchema = z.object({
  invoiceNumber: integer("Fakturanumret", { min: 1, max: 999_999_999_999 }),
  amount: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    amount("Beloppet", { allowZero: false }).optional(),
  ),
});
export type AssignUnmatchedInput = z.infer<typeof AssignUnmatchedSchema>;

/** Settled outside the app: the note says how (a refund to which account, what a deduction undid) for the books. */
export const RefundUnmatchedSchema = z.object({ note: text("Anteckningen", 200) });
export type RefundUnmatchedInput = z.infer<typeof RefundUnmatchedSchema>;

export const ReceivablesQuerySchema = z.object({ date: isoDate("Datumet").optional() });

/** The file name a browser sends with an upload: kept for the list of files, nothing else. */
export const uploadFileName = (name: string | null | undefined) =>
  (name ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);

/** How large a BgMax file may be: 5 000 payments with names and addresses are about 2 MB. */
export { UPLOAD_MAX_BYTES as PAYMENT_FILE_MAX_BYTES } from "./upload-limits";
