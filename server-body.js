// Request bodies for the production server (docs/security.md "Body limits"): one limit per kind of body, read
// before the app sees the request, and a Remix adapter that hands the app the bytes that were read.
//
// Express's own Remix adapter gives the app the raw request stream, and every reader (request.text(),
// request.formData()) then buffers the whole body before any size check can run: a 100 MB form or 600 MB of JSON
// was held in memory, or crashed the string limit. Here the body is counted as it arrives, the request is answered
// with 413 the moment it passes its limit (or at once, when Content-Length already says so) and what was read so
// far is dropped. Bodies within their limit are small, so the app gets them as one Buffer.
import { createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";

const KB = 1000;
const MB = 1000 * KB;

/**
 * The largest body of each kind, in bytes. `upload` is a file sent as the raw body of an upload route (a BgMax
 * payments file, an SCB population file); `multipart` is a page form with a file input.
 */
export const BODY_LIMITS = Object.freeze({
  json: 1 * MB,
  form: 1 * MB,
  multipart: 5 * MB,
  upload: 5 * MB,
  other: 64 * KB,
});

/**
 * The routes that take a file as their raw body, whatever its content type. A new upload route adds its path
 * here; everything else is sorted by its Content-Type.
 */
export const UPLOAD_PATHS = [/^\/api\/v1\/payment-files\/?$/, /^\/api\/v1\/population-imports\/?$/];

/** The kind of a request body, from its path and Content-Type. */
export function bodyKind(path, contentType = "") {
  if (UPLOAD_PATHS.some((p) => p.test(path))) return "upload";
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type)) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data") return "multipart";
  return "other";
}

const KIND_LABEL = { json: "JSON", form: "formulär", multipart: "formulär med fil", upload: "fil", other: "innehåll" };

function formatLimit(bytes) {
  return bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} kB`;
}

function refuse(req, res, status, code, message, swedish) {
  const api = req.path.startsWith("/api/");
  res.status(status);
  if (api) res.type("application/json").send(JSON.stringify({ error: { code, message } }));
  else res.type("text/plain; charset=utf-8").send(swedish);
}

/**
 * After a refusal, the rest of the body is read and thrown away (nothing is kept), so that the client gets to
 * read the answer instead of a reset connection (closing a socket with unread data sends a TCP reset, which can
 * destroy the answer in flight); a client still sending two seconds after the answer is cut off.
 */
function discardRest(req, res) {
  req.removeAllListeners("data");
  req.on("data", () => {});
  req.resume();
  // A body that has arrived by then leaves the connection open for the client's next request (keep-alive).
  res.once("finish", () => setTimeout(() => req.complete || req.socket.destroy(), 2000).unref());
}

/** Form fields are percent-encoded UTF-8: a sequence that does not decode is refused, not read as U+FFFD. */
function formDecodes(text) {
  for (const part of text.split(/[&=]/)) {
    if (!part.includes("%")) continue;
    try {
      decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return false;
    }
  }
  return true;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The middleware: refuses a path that does not percent-decode (400), then reads the body of every request that
 * may carry one into `req.rawBody`, answering 413 past its kind's limit and 400 for JSON or a form that is not
 * valid UTF-8.
 */
export function readBodies({ limits = BODY_LIMITS } = {}) {
  return (req, res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      return refuse(
        req,
        res,
        400,
        "bad_url",
        "The URL is not valid percent-encoded UTF-8",
        "Adressen är felaktigt kodad.",
      );
    }
    if (req.method === "GET" || req.method === "HEAD") return next();
    const kind = bodyKind(req.path, req.get("content-type"));
    const limit = limits[kind];
    const tooLarge = () => {
      discardRest(req, res);
      refuse(
        req,
        res,
        413,
        "payload_too_large",
        `The body is too large: at most ${formatLimit(limit)} for ${kind}`,
        `Innehållet är för stort: högst ${formatLimit(limit)} för ${KIND_LABEL[kind]}.`,
      );
    };
    const declared = req.get("content-length");
    if (declared !== undefined && Number(declared) > limit) return tooLarge();

    const chunks = [];
    let size = 0;
    let refused = false;
    const onData = (chunk) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        req.off("end", onEnd);
        return tooLarge();
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.off("data", onData);
      const body = Buffer.concat(chunks, size);
      if ((kind === "json" || kind === "form") && body.length > 0) {
        let text;
        try {
          text = utf8.decode(body);
        } catch {
          text = null;
        }
        if (text === null || (kind === "form" && !formDecodes(text))) {
          return refuse(
            req,
            res,
            400,
            "invalid_utf8",
            "The body is not valid UTF-8",
            "Innehållet är inte giltig UTF-8-text.",
          );
        }
      }
      req.rawBody = body;
      next();
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", (error) => {
      if (!refused) next(error);
    });
  };
}

function remixHeaders(requestHeaders) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

/**
 * @remix-run/express's request handler, except that the body is the Buffer `readBodies` read rather than the
 * request stream. The URL and the abort signal are built as that adapter builds them.
 */
export function createRemixHandler({ build, mode, getLoadContext }) {
  const handleRequest = createRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const [, forwardedPortText] = req.get("X-Forwarded-Host")?.split(":") ?? [];
      const [, hostPortText] = req.get("host")?.split(":") ?? [];
      const forwardedPort = Number.parseInt(forwardedPortText, 10);
      const hostPort = Number.parseInt(hostPortText, 10);
      const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
      const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
      let controller = new AbortController();
      res.on("finish", () => (controller = null));
      res.on("close", () => controller?.abort());
      const init = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") init.body = req.rawBody ?? Buffer.alloc(0);
      const response = await handleRequest(new Request(url.href, init), await getLoadContext?.(req, res));
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}
