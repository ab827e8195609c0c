import { z } from "zod";

/*
 * The send request of the run page, the invoice page and `POST /api/v1/…/send` (docs/delivery.md): one field,
 * whether to send again what was already sent.
 */
export const SendSchema = z.object({
  resend: z
    .boolean({ invalid_type_error: "Ange true eller false", required_error: "Ange true eller false" })
    .optional(),
});

/** The same from a form: a checkbox, absent when not ticked. */
export const SendFormSchema = z.object({
  resend: z.preprocess(
    (v) => (v === undefined || v === "" ? undefined : v === "on" || v === "1" || v === "true"),
    z.boolean().optional(),
  ),
});
