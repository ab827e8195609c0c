import { z } from "zod";

/*
 * Schemas that only page forms need, beside the shared ones (schemas.ts): a route module builds its page schema
 * at the top level, which also runs in the browser, so these live in a module that is not .server.
 */

/** A confirmation: the form sends confirm=yes (a ticked box, or a hidden input beside the button). */
export function confirmation(message: string) {
  return z.object({ confirm: z.literal("yes", { errorMap: () => ({ message }) }) });
}

/** A file input with a file chosen (a browser sends an empty file when none is); a text value is refused too. */
export function uploadedFile(message: string) {
  return z.custom<File>(
    (v) =>
      typeof v === "object" &&
      v !== null &&
      typeof (v as File).arrayBuffer === "function" &&
      typeof (v as File).size === "number" &&
      (v as File).size > 0,
    { message },
  );
}
