import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { db, transaction } from "../../db/client";
import { can, decide, type Action, type Target } from "../../billing/policy";
import type { Scope } from "../../db/scope";
import * as usersDb from "../../db/users";
import { env } from "../env.server";
import { apiError } from "./http.server";
import { LOGIN_WINDOW_MS, loginWaitMs } from "./login-throttle";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password.server";

const SESSION_DAYS = 14;
const TOKEN_DAYS = 90;
const DEVICE_DAYS = 365;

let sessionCookie: ReturnType<typeof createCookie> | null = null;
function cookie() {
  sessionCookie ??= createCookie("sambruk_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().COOKIE_SECURE,
    secrets: [env().SESSION_SECRET],
    maxAge: SESSION_DAYS * 24 * 3600,
  });
  return sessionCookie;
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function toScope(user: usersDb.PublicUser): Scope {
  return { userId: user.id, email: user.email, role: user.role, memberId: user.memberId };
}

export type LoginResult =
  | { ok: true; user: usersDb.PublicUser; deviceCookie: string }
  | { ok: false; status: 401 | 429; message: string; retryAfterSeconds?: number };

/**
 * The device cookie (OWASP's "device cookies" against account lockout): a signed token, set at a successful
 * login, saying that this browser has logged in to this account before. It waives the throttling of the
 * account across addresses (docs/security.md "Login throttling"), never the checking of the password.
 */
let deviceCookie: ReturnType<typeof createCookie> | null = null;
function devices() {
  deviceCookie ??= createCookie("sambruk_device", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().COOKIE_SECURE,
    secrets: [env().SESSION_SECRET],
    maxAge: DEVICE_DAYS * 24 * 3600,
  });
  return deviceCookie;
}

const deviceId = (email: string) => sha256(`device:${email}`).slice(0, 32);

async function isKnownBrowser(cookieHeader: string | null, email: string): Promise<boolean> {
  if (!cookieHeader) return false;
  const value = await devices().parse(cookieHeader);
  return value === deviceId(email);
}

/**
 * Checks e-mail and password, throttled by account, by client address and by the pair (app/lib/login-throttle.ts).
 * The attempt is written down *before* the slow scrypt check, in the same synchronous step as the throttle
 * decision, so that concurrent attempts all see each other: no more than the free attempts are ever checked. The
 * same message answers an unknown e-mail, a wrong password and a deactivated account, and the same scrypt work is
 * done for each.
 */
export async function checkCredentials(
  emailInput: string,
  password: string,
  client: string,
  cookieHeader: string | null = null,
): Promise<LoginResult> {
  const email = emailInput.trim().toLowerCase();
  const knownBrowser = await isKnownBrowser(cookieHeader, email);
  const dummy = await dummyPasswordHash();
  const now = Date.now();
  const since = new Date(now - LOGIN_WINDOW_MS).toISOString();
  // better-sqlite3 is synchronous: nothing else runs between the count and the insert.
  const decision = transaction((tx) => {
    const wait = loginWaitMs(now, usersDb.loginAttemptStats(tx, email, client, since), { knownBrowser });
    if (wait > 0) return { wait, attempt: 0 };
    usersDb.pruneLoginFailures(tx, since);
    return { wait: 0, attempt: usersDb.recordLoginFailure(tx, email, client, new Date(now).toISOString()) };
  });
  if (decision.wait > 0) {
    const seconds = Math.ceil(decision.wait / 1000);
    return {
      ok: false,
      status: 429,
      message: `För många misslyckade inloggningar. Försök igen om ${seconds} sekunder.`,
      retryAfterSeconds: seconds,
    };
  }
  const user = usersDb.findUserByEmail(db(), email);
  const stored = user?.passwordHash ?? dummy;
  const valid = await verifyPassword(password, stored);
  if (!user || !valid || !user.active) {
    usersDb.dateLoginFailure(db(), decision.attempt, new Date().toISOString());
    return { ok: false, status: 401, message: "Fel e-postadress eller lösenord." };
  }
  const rehashed = needsRehash(stored) ? await hashPassword(password) : null;
  transaction((tx) => {
    usersDb.clearLoginFailuresOf(tx, email, client);
    // The hash is only replaced if it is still the one that was checked (not changed meanwhile).
    if (rehashed && usersDb.findUserByEmail(tx, email)?.passwordHash === stored) {
      usersDb.updateUser(tx, user.id, { passwordHash: rehashed });
    }
  });
  const { passwordHash: _omit, ...publicUser } = user;
  return { ok: true, user: publicUser, deviceCookie: await devices().serialize(deviceId(email)) };
}

/** Starts a new session (a fresh id at every login) and answers with the redirect that sets its cookie. */
export async function createSessionRedirect(
  request: Request,
  userId: number,
  redirectTo: string,
  extraCookies: string[] = [],
) {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000).toISOString();
  const old = await readSessionId(request);
  // The answer is made in full before the session is stored, so that nothing can fail between the two.
  const headers = new Headers({ Location: safeRedirect(redirectTo) });
  headers.append("Set-Cookie", await cookie().serialize(id));
  for (const extra of extraCookies) headers.append("Set-Cookie", extra);
  transaction((tx) => {
    if (old) usersDb.deleteSession(tx, sha256(old));
    usersDb.pruneExpiredSessions(tx, new Date().toISOString());
    usersDb.insertSession(tx, { idHash: sha256(id), userId, expiresAt });
  });
  return new Response(null, { status: 302, headers });
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await cookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The root loader and the route loader both ask: look the session up once per request. */
const usersByRequest = new WeakMap<Request, Promise<usersDb.PublicUser | null>>();

export function getUser(request: Request): Promise<usersDb.PublicUser | null> {
  let user = usersByRequest.get(request);
  if (!user) {
    user = (async () => {
      const id = await readSessionId(request);
      if (!id) return null;
      return usersDb.userForSession(db(), sha256(id), new Date().toISOString()) ?? null;
    })();
    usersByRequest.set(request, user);
  }
  return user;
}

export async function logout(request: Request) {
  const id = await readSessionId(request);
  if (id) usersDb.deleteSession(db(), sha256(id));
  return redirect("/login", { headers: { "Set-Cookie": await cookie().serialize("", { maxAge: 0 }) } });
}

/** The signed-in user's scope, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<Scope & { name: string }> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return { ...toScope(user), name: user.name };
}

/**
 * The signed-in user's scope if the policy lets it do one of `actions` (billing/policy.ts), on `target` where
 * given; else the 403 page, or the 404 page for another member's private target. Asked before a form is read,
 * so a refused role gets 403 whatever it sent; the use case asks the same policy again.
 */
export async function requirePermission(
  request: Request,
  actions: Action | readonly Action[],
  target?: Target,
): Promise<Scope & { name: string }> {
  const scope = await requireUser(request);
  assertPermission(scope, actions, target);
  return scope;
}

/** requirePermission for a scope already in hand. */
export function assertPermission(scope: Scope, actions: Action | readonly Action[], target?: Target): void {
  const decisions = (typeof actions === "string" ? [actions] : actions).map((a) => decide(scope, a, target));
  if (decisions.some((d) => d.allowed)) return;
  // Only a refusal about the target hides it: a role that may not do the action at all is told so (403).
  if (target && decisions.every((d) => !d.allowed && d.kind === "not_found")) {
    throw new Response("Hittades inte.", { status: 404, statusText: "Not Found" });
  }
  throw new Response("Du saknar behörighet för den här sidan.", { status: 403, statusText: "Forbidden" });
}

/**
 * A path of this site to go to after login, or the fallback. Browsers drop tabs and newlines from a URL and read
 * "\" as "/", so "/\t/evil.example" would leave the site: control characters and backslashes are refused, and what
 * remains must resolve to this origin.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const base = "http://sambruk.invalid";
  try {
    const url = new URL(to, base);
    if (url.origin !== base) return fallback;
    // The URL's own serialisation is percent-encoded ASCII: "/medlemmar/Å" is a valid Location header, while the
    // raw text would make the header (and the whole login) fail after the session was made.
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

// API tokens -------------------------------------------------------------------------------------------------

export function issueApiToken(userId: number): string {
  const token = `sbk_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + TOKEN_DAYS * 24 * 3600 * 1000).toISOString();
  usersDb.insertApiToken(db(), { userId, tokenHash: sha256(token), expiresAt });
  return token;
}

export function revokeApiToken(token: string): void {
  usersDb.revokeToken(db(), sha256(token));
}

/** The caller of an API request, from `Authorization: Bearer <token>`; 401 in the API's error format otherwise. */
export function requireApiUser(request: Request): Scope {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const user = match ? usersDb.userForToken(db(), sha256(match[1]), new Date().toISOString()) : undefined;
  if (!user) throw apiError(401, "unauthorized", "A valid bearer token is required");
  return toScope(user);
}

/**
 * The caller of an API request if the policy lets its role do one of `actions` (billing/policy.ts): 401 without
 * a token, 403 in the API's error format otherwise. A check that depends on the target (another member's
 * resource answers 404) is the route's and the use case's.
 */
export function requireApiPermission(request: Request, ...actions: Action[]): Scope {
  const scope = requireApiUser(request);
  if (!actions.some((a) => can(scope, a))) throw apiError(403, "forbidden", "Your role may not do this");
  return scope;
}
