import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * Starts the real production server (node server.js, built by the global setup) on a fresh SQLite file and a
 * free loopback port. Tests talk to it over HTTP and may open the same file in-process (WAL) to seed data
 * through the use cases or to check what was stored.
 */
export interface TestServer {
  url: string;
  dbPath: string;
  dir: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function tempDbPath(prefix = "sambruk-test-"): { dir: string; dbPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, dbPath: path.join(dir, "test.db") };
}

/** A free loopback port. env.server.ts accepts PORT 1–65535 only, so the server cannot be told PORT=0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(
  options: { dbPath?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const { dir, dbPath } = options.dbPath ? { dir: path.dirname(options.dbPath), dbPath: options.dbPath } : tempDbPath();
  const port = await freePort();
  const child = spawn(process.execPath, ["server.js"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      NODE_ENV: "production",
      DEMO_MODE: "0",
      DATABASE_PATH: dbPath,
      PORT: String(port),
      HOST: "127.0.0.1",
      SESSION_SECRET: randomBytes(24).toString("hex"),
      COOKIE_SECURE: "0",
      LOG_LEVEL: "silent",
      // Sending (docs/delivery.md) writes into the test's own folder, never into the checkout's ./data/outbox.
      PEPPOL_OUTBOX: path.join(dir, "outbox", "peppol"),
      EMAIL_OUTBOX: path.join(dir, "outbox", "email"),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace("localhost", "127.0.0.1"));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dbPath,
    dir,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Logs in through the login form and returns the session cookie ("name=value"). */
export async function login(url: string, email: string, password: string): Promise<string> {
  const body = new URLSearchParams({ email, password, redirectTo: "/" });
  const res = await fetch(`${url}/login`, { method: "POST", body, redirect: "manual" });
  if (res.status !== 302) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error("login set no cookie");
  return cookie.split(";")[0];
}

export async function apiToken(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) throw new Error(`token for ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A small client for pages: GET and form POSTs with a session cookie, redirects not followed. */
export function pageClient(url: string, cookie: string | null) {
  const headers = (extra: Record<string, string> = {}) => (cookie ? { Cookie: cookie, ...extra } : extra);
  return {
    get: (p: string) => fetch(`${url}${p}`, { headers: headers(), redirect: "manual" }),
    post: (p: string, fields: Record<string, string>) =>
      fetch(`${url}${p}`, {
        method: "POST",
        headers: headers({ "Content-Type": "application/x-www-form-urlencoded" }),
        body: new URLSearchParams(fields),
        redirect: "manual",
      }),
  };
}

/** A small client for /api/v1 with a bearer token. */
export function apiClient(url: string, token: string | null) {
  const call = async (method: string, p: string, body?: unknown, extraHeaders: Record<string, string> = {}) => {
    const headers: Record<string, string> = { ...extraHeaders };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    get: (p: string) => call("GET", p),
    post: (p: string, body?: unknown, headers?: Record<string, string>) => call("POST", p, body ?? {}, headers),
    put: (p: string, body?: unknown) => call("PUT", p, body ?? {}),
    patch: (p: string, body?: unknown) => call("PATCH", p, body ?? {}),
    delete: (p: string) => call("DELETE", p),
    raw: call,
  };
}
