import { execFileSync } from "node:child_process";

/**
 * Integration tests run the real production server, so build it once before the suite. vitest sets
 * NODE_ENV=test, which would make Remix emit a development bundle: build for production explicitly.
 */
export default function setup() {
  if (process.env.SKIP_BUILD === "1") return;
  execFileSync("npx", ["remix", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
}
