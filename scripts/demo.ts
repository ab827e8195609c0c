/*
 * `npm run demo`: builds (npm script), creates ./data/demo.db with the demo association if it is absent,
 * prints the demo logins and serves the app on http://localhost:3000 (PORT to change).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dbPath = path.resolve(root, process.env.DATABASE_PATH ?? "data/demo.db");
process.env.DATABASE_PATH = dbPath;

if (!fs.existsSync(dbPath)) {
  console.log(`Creating the demo association in ${path.relative(root, dbPath)} …`);
  const { seedDemo } = await import("../app/features/demo/seed.server");
  const { closeDatabase } = await import("../db/client");
  await seedDemo(path.join(root, "data", "municipalities-2024.csv"));
  closeDatabase();
}

const { DEMO_LOGINS } = await import("../app/features/demo/seed.server");
const port = process.env.PORT ?? "3000";
console.log("\nDemo logins (demo mode only):");
for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(9)} ${l.email.padEnd(30)} ${l.password}`);
console.log(`\nOpen http://localhost:${port} — delete ${path.relative(root, dbPath)} to start over.\n`);

const child = spawn(process.execPath, ["server.js"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    DEMO_MODE: "1",
    PORT: port,
    SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString("hex"),
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
