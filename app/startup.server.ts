import { eq } from "drizzle-orm";
import { connection, type Db } from "../db/client";
import { appMeta } from "../db/schema";
import { env } from "./env.server";

export function isDemoDatabase(tx: Db): boolean {
  return tx.select().from(appMeta).where(eq(appMeta.key, "demo")).get()?.value === "1";
}

/** Validates the environment, opens and migrates the database (which seeds the base data). */
export function startApp() {
  const e = env();
  const conn = connection();
  if (e.NODE_ENV === "production" && !e.DEMO_MODE && isDemoDatabase(conn.db)) {
    throw new Error(
      `${conn.path} is the demo database (it has demo users with published passwords): refusing to serve it in production`,
    );
  }
  // server.js sends HSTS only when the cookies are secure (the site is served over HTTPS).
  return { databasePath: conn.path, demo: e.DEMO_MODE, cookieSecure: e.COOKIE_SECURE };
}
