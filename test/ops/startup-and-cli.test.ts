import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { association } from "../support/association";
import { startServer, tempDbPath } from "../support/server";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");

/** Runs `npm run admin -- …` (tsx scripts/admin.ts) on a database file; resolves with the exit code and output. */
async function admin(dbPath: string, args: string[]) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/admin.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: dbPath },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Starts `node server.js` with the given environment and waits for it to exit (start-up refusals exit at once). */
function startAndExit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["server.js"], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe("npm run admin -- create-user", () => {
  it("creates an admin who can then log in to the real server", async () => {
    const { dbPath } = tempDbPath();
    const made = await admin(dbPath, [
      "create-user",
      "--email",
      "Ordf@Example.se",
      "--password",
      "ett långt lösenord",
      "--role",
      "admin",
      "--name",
      "Ordföranden",
    ]);
    expect(made.code).toBe(0);
    expect(made.out).toContain("Created admin ordf@example.se");

    const server = await startServer({ dbPath });
    try {
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: "ordf@example.se", password: "ett långt lösenord", redirectTo: "/" }),
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("set-cookie")).toMatch(/sambruk_session=/);
    } finally {
      await server.stop();
    }
  });

  it("creates a member user tied to the member with the given municipality code", async () => {
    // The member must exist first: create it through the same use case the pages use.
    const a = await association({ municipalities: ["1480"], users: false, prefix: "sambruk-cli-" });
    const { dbPath } = a;
    const member = { id: a.member["1480"] };
    const { closeDatabase } = await import("../../db/client");
    closeDatabase();

    const made = await admin(dbPath, [
      "create-user",
      "--email",
      "kontakt@goteborg.se",
      "--password",
      "ett långt lösenord",
      "--role",
      "member",
      "--member-code",
      "1480",
    ]);
    expect(made.code).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare("SELECT role, member_id AS memberId FROM users WHERE email = ?").get("kontakt@goteborg.se");
    db.close();
    expect(row).toEqual({ role: "member", memberId: member.id });
  });

  it("refuses bad input with a message per flag and stores nothing", async () => {
    const { dbPath } = tempDbPath();
    const bad = await admin(dbPath, [
      "create-user",
      "--email",
      "not-an-email",
      "--password",
      "short",
      "--role",
      "king",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("--email: E-postadressen ser inte ut som en e-postadress");
    expect(bad.out).toContain("--password: Lösenordet ska vara minst 10 tecken");
    expect(bad.out).toContain("--role: Rollen ska vara admin, treasurer eller member");

    const noMember = await admin(dbPath, [
      "create-user",
      "--email",
      "a@b.se",
      "--password",
      "ett långt lösenord",
      "--role",
      "member",
      "--member-code",
      "0999",
    ]);
    expect(noMember.code).toBe(2);
    expect(noMember.out).toContain("Ingen medlem har kommunkoden 0999");

    const first = await admin(dbPath, [
      "create-user",
      "--email",
      "a@b.se",
      "--password",
      "ett långt lösenord",
      "--role",
      "treasurer",
    ]);
    expect(first.code).toBe(0);
    const duplicate = await admin(dbPath, [
      "create-user",
      "--email",
      "A@B.se",
      "--password",
      "ett långt lösenord",
      "--role",
      "admin",
    ]);
    expect(duplicate.code).toBe(3);
    expect(duplicate.out).toContain("E-postadressen används redan");

    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM users").get()).toEqual({ n: 1 });
    db.close();
    // Four CLI starts, two of them hashing a password at OWASP's scrypt cost (docs/decisions/010-…).
  }, 120_000);

  it("prints the usage for an unknown command", async () => {
    const { dbPath } = tempDbPath();
    const res = await admin(dbPath, ["delete-everything"]);
    expect(res.code).toBe(2);
    expect(res.out).toContain("Usage:");
  });
});

describe("production start-up", () => {
  it("refuses to start without a session secret", async () => {
    const { dbPath } = tempDbPath();
    const res = await startAndExit({
      NODE_ENV: "production",
      DEMO_MODE: "0",
      DATABASE_PATH: dbPath,
      PORT: "39999",
      SESSION_SECRET: "",
    });
    expect(res.code).toBe(1);
    expect(res.out).toContain("SESSION_SECRET: must be set to a random string of at least 32 characters in production");
  });

  it("refuses to serve the demo database outside demo mode", async () => {
    const { dbPath } = tempDbPath();
    // Migrate it through a first, normal start, then mark it as the demo database.
    const server = await startServer({ dbPath });
    await server.stop();
    const raw = new Database(dbPath);
    raw.prepare("INSERT INTO app_meta (key, value) VALUES ('demo', '1')").run();
    raw.close();
    const res = await startAndExit({
      NODE_ENV: "production",
      DEMO_MODE: "0",
      DATABASE_PATH: dbPath,
      PORT: "39998",
      SESSION_SECRET: "x".repeat(40),
    });
    expect(res.code).toBe(1);
    expect(res.out).toContain("is the demo database");
  });

  it("migrates a new database on start and seeds the default fee schedule", async () => {
    const { dbPath } = tempDbPath();
    const server = await startServer({ dbPath });
    await server.stop();
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const brackets = db
      .prepare("SELECT name, min_population AS min, annual_fee_ore AS annual FROM fee_brackets ORDER BY position")
      .all();
    db.close();
    expect(brackets).toEqual([
      { name: "small", min: 0, annual: 800_000 },
      { name: "medium", min: 10_000, annual: 1_600_000 },
      { name: "large", min: 100_001, annual: 3_200_000 },
    ]);
  });
});
