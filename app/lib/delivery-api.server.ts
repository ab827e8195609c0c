import type { z } from "zod";
import { parseApiBody } from "./api-json.server";
import { SendSchema } from "./delivery-schemas";

/** The body of a send call: `{resend?: true}`, or nothing at all (an empty body means a plain send). */
export async function readSendOptions(request: Request): Promise<z.infer<typeof SendSchema>> {
  const text = await request.clone().text();
  if (text.trim() === "") return {};
  return parseApiBody(request, SendSchema);
}
