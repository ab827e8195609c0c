import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/*
 * Browser tests (`npm run test:e2e`): headless Chromium against the real production server. `npm run build`
 * runs first in the npm script, so there is no build global setup here. One file at a time: each starts its
 * own server and browser, and the CI machine has two cores.
 */
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
