import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type TestServer } from "../support/server";

/*
 * Oversized bodies (docs/security.md "Body limits"): a limit per kind of body, enforced from Content-Length and
 * while a chunked body streams in, answered with 413 before the body is held in memory. The server's resident
 * memory is read from /proc before and after the attack and must stay near where it started.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const MB = 1024 * 1024;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
  return Math.round(kb / 1024);
}

interface Sent {
  status: number | null;
  sent: number;
  body: string;
}

/**
 * Sends `total` bytes (a repeated 1 MB chunk, so the test itself stays small) and stops as soon as the server
 * answers or closes. `declared` sends a Content-Length; otherwise the body is chunked.
 */
function sendLarge(url: string, path: string, type: string, total: number, declared: boolean): Promise<Sent> {
  const chunk = Buffer.alloc(MB, type.includes("json") ? " " : "a");
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    let status: number | null = null;
    let body = "";
    const finish = () => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sent, body });
    };
    // A JSON body has to start like JSON for the reader to get past its first byte.
    const prefix = type.includes("json") ? '{"email":"' : "";
    const headers: Record<string, string> = { "Content-Type": type };
    if (declared) headers["Content-Length"] = String(prefix.length + total);
    const req = http.request(`${url}${path}`, { method: "POST", headers }, (res) => {
      status = res.statusCode ?? null;
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", finish);
      res.on("error", finish);
    });
    req.on("error", finish);
    req.on("close", () => setTimeout(finish, 200));
    const pump = () => {
      while (!done && status === null && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done && status === null) req.end();
    };
    req.write(prefix);
    pump();
  });
}

const settle = () => new Promise((r) => setTimeout(r, 1500));

describe("oversized bodies are refused with 413 before they are held in memory", () => {
  test("100 MB forms, 600 MB JSON and six concurrent 400 MB bodies leave the server's memory where it was", async () => {
    const pid = server.process.pid!;
    // Warm up the routes first, so that what is measured is the bodies and not the first render.
    await fetch(`${server.url}/login`);
    await fetch(`${server.url}/api/v1/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    await settle();
    const before = rssMb(pid);

    const results: Array<[string, Sent]> = [];
    results.push([
      "100 MB form, Content-Length",
      await sendLarge(server.url, "/login", "application/x-www-form-urlencoded", 100 * MB, true),
    ]);
    results.push([
      "100 MB form, chunked",
      await sendLarge(server.url, "/login", "application/x-www-form-urlencoded", 100 * MB, false),
    ]);
    results.push([
      "600 MB JSON, chunked",
      await sendLarge(server.url, "/api/v1/tokens", "application/json", 600 * MB, false),
    ]);
    results.push([
      "600 MB JSON, Content-Length",
      await sendLarge(server.url, "/api/v1/tokens", "application/json", 600 * MB, true),
    ]);
    const concurrent = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        sendLarge(
          server.url,
          i % 2 ? "/login" : "/api/v1/tokens",
          i % 2 ? "application/x-www-form-urlencoded" : "application/json",
          400 * MB,
          i < 3,
        ),
      ),
    );
    concurrent.forEach((r, i) => results.push([`concurrent 400 MB #${i + 1}`, r]));
    const peak = rssMb(pid);
    await settle();
    const after = rssMb(pid);
    console.info(`server RSS: before ${before} MB, right after ${peak} MB, settled ${after} MB`);
    for (const [what, r] of results) {
      console.info(`${what}: ${r.status} after ${Math.round(r.sent / MB)} MB sent`);
      expect(r.status, what).toBe(413);
      // The server stopped reading long before the end: what was sent is the limit plus what sat in buffers.
      expect(r.sent, what).toBeLessThan(64 * MB);
    }
    expect(after - before).toBeLessThan(40);
    expect(peak - before).toBeLessThan(80);

    // The server still answers normally afterwards.
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
  }, 120_000);

  test("the API says 413 in its error format; a page says it in Swedish", async () => {
    const api = await sendLarge(server.url, "/api/v1/tokens", "application/json", 3 * MB, true);
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "payload_too_large" } });
    const page = await sendLarge(server.url, "/login", "application/x-www-form-urlencoded", 3 * MB, false);
    expect(page.status).toBe(413);
    expect(page.body).toMatch(/för stort/);
  });

  test("a body within its limit still goes through", async () => {
    const form = new URLSearchParams({
      email: "nobody@test.se",
      password: "x".repeat(150),
      filler: "y".repeat(500_000),
    });
    const res = await fetch(`${server.url}/login`, { method: "POST", body: form, redirect: "manual" });
    expect(res.status).toBe(401);
  });
});
