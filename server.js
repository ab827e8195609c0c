// The production server: Express in front of the Remix request handler. It adds what every response needs
// (security headers, refusal of cross-origin cookie POSTs, the client address for rate limiting) and runs the
// start-up checks of the app (environment, migrations) before it listens.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { createRemixHandler, readBodies } from "./server-body.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export async function createApp({ buildPath = path.join(here, "build", "index.js"), log = console } = {}) {
  const build = await import(pathToFileURL(buildPath).href);
  // entry.server.tsx exports startup(): validates the environment and migrates the database.
  const info = await build.entry.module.startup();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);

  app.use((req, res, next) => {
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    // Secure cookies mean the site is served over HTTPS: tell browsers never to try plain HTTP (no
    // includeSubDomains: the association's other hosts are not ours to decide for).
    if (info.cookieSecure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    next();
  });

  // A browser sends Origin on every cross-origin POST. Cookie-authenticated writes from another origin are
  // refused even though the session cookie is SameSite=Lax (which still lets sibling subdomains through).
  // Only the API may skip the check when it gets a bearer token (which a foreign page cannot attach): the pages go
  // by the cookie whatever else a request carries.
  const trustProxy = process.env.TRUST_PROXY === "1";
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const origin = req.get("origin");
    if (req.get("authorization") && req.path.startsWith("/api/")) return next();
    if (!origin) {
      // Without Origin (an old browser, a privacy extension), a write must still show that it comes from our own
      // pages: Sec-Fetch-Site says so in every current browser, else the Referer does. A request with neither is
      // not from a browser, and only a browser holds someone's session cookie (or can be made to log in).
      const site = req.get("sec-fetch-site");
      const referer = req.get("referer");
      const fromUs = site
        ? site === "same-origin" || site === "none"
        : !referer || sameOrigin(req, refererOrigin(referer), trustProxy);
      if (fromUs) return next();
    } else if (sameOrigin(req, origin, trustProxy)) return next();
    res
      .status(403)
      .type("application/json")
      .send(JSON.stringify({ error: { code: "cross_origin", message: "Cross-origin request refused" } }));
  });

  app.use("/build", express.static(path.join(here, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(here, "public"), { maxAge: "1h" }));
  app.get("/favicon.ico", (req, res) => res.redirect(301, "/favicon.svg"));

  if (process.env.LOG_LEVEL !== "silent") {
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.info(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
      });
      next();
    });
  }

  // Unknown URLs and refused bodies are logged by the line above; then the bodies are read within their limits.
  app.use(readBodies());

  app.all(
    "*",
    createRemixHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: (req) => ({ clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
    }),
  );
  return { app, info };
}

/**
 * Whether Origin names this server. Remix itself aborts a page action, with a 500, when the Origin's host is not
 * the X-Forwarded-Host (or, without one, the Host) of the request; such requests are refused here with a 403.
 */
function refererOrigin(referer) {
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

function sameOrigin(req, origin, trustProxy) {
  let originHost;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const host = req.get("host");
  const forwardedHost = req.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (originHost !== (forwardedHost || host)) return false;
  return origin === `${req.protocol}://${trustProxy && forwardedHost ? forwardedHost : host}`;
}

async function main() {
  const { app, info } = await createApp();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  const server = app.listen(port, host, () => {
    const actual = server.address().port;
    console.log(`Sambruk Admin listening on http://localhost:${actual} (database ${info.databasePath})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
