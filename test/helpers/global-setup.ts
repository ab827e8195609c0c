import { execFileSync } from "node:child_process";

/** Integration tests run the real production server, so build it once before the suite. */
export default function setup() {
  if (process.env.SKIP_BUILD === "1") return;
  execFileSync("npx", ["remix", "build"], { stdio: "inherit" });
}
