import {
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
} from "@remix-run/node";
import { apiError } from "./http.server";

/*
 * File uploads (SCB population files) with an explicit limit, checked from Content-Length and again while the
 * body streams in, so an oversized upload is refused with 413 without being held in memory whole.
 */

import { UPLOAD_MAX_BYTES } from "./upload-limits";

export { UPLOAD_MAX_BYTES };

function tooLarge(maxBytes: number): string {
  return `Filen är större än ${Math.round(maxBytes / (1024 * 1024))} MB`;
}

/** The raw body of an API upload; 413 in the API's error format past maxBytes, 422 when empty. */
export async function readRawBody(request: Request, maxBytes = UPLOAD_MAX_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw apiError(413, "payload_too_large", tooLarge(maxBytes));
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw apiError(413, "payload_too_large", tooLarge(maxBytes));
      }
      chunks.push(value);
    }
  }
  if (size === 0)
    throw apiError(422, "validation_failed", "Filen saknas: skicka filen som anropets innehåll", {
      file: "Filen saknas",
    });
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

export type UploadForm = { ok: true; form: FormData } | { ok: false; status: 400 | 413; message: string };

/** A multipart form whose file parts are held in memory up to maxBytes each. */
export async function readUploadForm(request: Request, maxBytes: number): Promise<UploadForm> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes + 64 * 1024) return { ok: false, status: 413, message: tooLarge(maxBytes) };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }),
    );
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, message: tooLarge(maxBytes) };
    return { ok: false, status: 400, message: "Formuläret kunde inte läsas" };
  }
}
