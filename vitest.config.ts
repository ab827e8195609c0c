import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/*
 * Three kinds of test (docs/quality.md#how-the-tests-are-organised), told apart by what a test file imports, so
 * that a new file lands in the right project without a list to keep up to date:
 *
 *   unit      pure rules (billing/ and the pure helpers of app/lib): no database, no server, one process
 *   use-case  in-process on a fresh migrated SQLite file, built by test/support/association.ts (or, for the tests
 *             of db/ itself, opened by the test): no build, no server
 *   http      the real server (test/support/server.ts, http.ts): routing, auth, serialisation, status codes; only
 *             this project builds the app first (test/support/global-setup.ts)
 *
 * `npm test` runs all three; `npx vitest run --project unit --project use-case` runs the ones that need no build.
 * The browser tests have their own config (vitest.e2e.config.ts).
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const TEST = path.join(root, "test");
const SERVER = [path.join(TEST, "support", "server.ts"), path.join(TEST, "support", "http.ts")];
const DATABASE = path.join(TEST, "support", "association.ts");

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "e2e" ? [] : testFiles(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The test/ files a file imports (statically or with import()), resolved to their .ts paths. */
function localImports(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specifiers
    .map((s) => path.resolve(path.dirname(file), s))
    .map((p) => (fs.existsSync(`${p}.ts`) ? `${p}.ts` : p))
    .filter((p) => p.startsWith(TEST + path.sep) && p.endsWith(".ts") && fs.existsSync(p));
}

/** Whether a file reaches one of `targets` through its imports inside test/. */
function reaches(file: string, targets: string[], seen = new Set<string>()): boolean {
  if (targets.includes(file)) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  return localImports(file).some((f) => reaches(f, targets, seen));
}

// Unit tests may also sit beside the rules they test, in billing/.
const all = [...testFiles(TEST), ...testFiles(path.join(root, "billing"))];
const relative = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join("/"));
const http = all.filter((f) => reaches(f, SERVER));
/** Opens a SQLite file of its own (db/client.ts's openDatabase or connection), without the builder. */
const opensDatabase = (f: string) => /from\s+["'][./]*db\/client["']|DATABASE_PATH/.test(fs.readFileSync(f, "utf8"));
const useCase = all.filter((f) => !http.includes(f) && (reaches(f, [DATABASE]) || opensDatabase(f)));
const unit = all.filter((f) => !http.includes(f) && !useCase.includes(f));

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      // Pure tests share one process: nothing of theirs outlives a file (no database, no mocks, no globals).
      { extends: true, test: { name: "unit", include: relative(unit), isolate: false } },
      { extends: true, test: { name: "use-case", include: relative(useCase) } },
      {
        extends: true,
        test: { name: "http", include: relative(http), globalSetup: ["test/support/global-setup.ts"] },
      },
    ],
  },
});
