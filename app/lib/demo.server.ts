import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { appMeta } from "../../db/schema";
import type { Role } from "../../db/schema";
import { env } from "../env.server";

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
  memberName: string | null;
}

/** The demo users' published logins, only in demo mode and only from a database the demo seed made. */
export function demoLogins(): DemoLogin[] {
  if (!env().DEMO_MODE) return [];
  const tx = db();
  if (tx.select().from(appMeta).where(eq(appMeta.key, "demo")).get()?.value !== "1") return [];
  const row = tx.select().from(appMeta).where(eq(appMeta.key, "demo_logins")).get();
  return row ? (JSON.parse(row.value) as DemoLogin[]) : [];
}
