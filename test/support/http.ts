import type { Role } from "../../db/schema";
import { issueApiToken } from "../../app/lib/auth.server";
import { association, ROLES, type Association, type AssociationOptions } from "./association";
import { apiClient, pageClient, startServer, type TestServer } from "./server";
import { sessionCookie } from "./use-case";

export { sessionCookie };

/*
 * The HTTP side of a built association: the real production server (node server.js, built by the global setup)
 * on the association's SQLite file, with a bearer token and a session cookie per role, and clients for the API
 * and the pages. The server and the test share the file (WAL): the test may keep building data in-process and
 * read what the server stored.
 *
 * Tokens and cookies are made in-process by the functions POST /api/v1/tokens and POST /login call once the
 * password is checked (app/lib/auth.server.ts), so a test file does not pay six scrypt checks before its first
 * request. Logging in itself is tested over HTTP in test/api/tokens.test.ts and test/security/.
 */
export type Api = ReturnType<typeof apiClient>;
export type Page = ReturnType<typeof pageClient>;

export interface Http {
  server: TestServer;
  url: string;
  token: Record<Role, string>;
  /** "sambruk_session=…", as a browser would send it. */
  cookie: Record<Role, string>;
  api: Record<Role | "anonymous", Api>;
  page: Record<Role | "anonymous", Page>;
  stop: () => Promise<void>;
}

/** A page's HTML without the empty comments React puts between adjacent text parts. */
export async function htmlOf(res: Response): Promise<string> {
  return (await res.text()).replace(/<!-- -->/g, "");
}

export async function serve(a: Association, options: { env?: Record<string, string> } = {}): Promise<Http> {
  const server = await startServer({
    dbPath: a.dbPath,
    env: { SESSION_SECRET: a.sessionSecret, ...options.env },
  });
  const token = {} as Record<Role, string>;
  const cookie = {} as Record<Role, string>;
  for (const role of ROLES) {
    const user = a.users[role];
    if (!user) continue;
    token[role] = issueApiToken(user.id);
    cookie[role] = await sessionCookie(user.id);
  }
  const url = server.url;
  return {
    server,
    url,
    token,
    cookie,
    api: {
      admin: apiClient(url, token.admin ?? null),
      treasurer: apiClient(url, token.treasurer ?? null),
      member: apiClient(url, token.member ?? null),
      anonymous: apiClient(url, null),
    },
    page: {
      admin: pageClient(url, cookie.admin ?? null),
      treasurer: pageClient(url, cookie.treasurer ?? null),
      member: pageClient(url, cookie.member ?? null),
      anonymous: pageClient(url, null),
    },
    stop: () => server.stop(),
  };
}

/** An association and its server as one context: what most HTTP tests start from. `stop` ends both. */
export type Served = Omit<Association, "close"> & Omit<Http, "stop"> & { stop: () => Promise<void> };

export async function startServed(
  options: AssociationOptions & { env?: Record<string, string> } = {},
): Promise<Served> {
  const { env, ...build } = options;
  const a = await association(build);
  const h = await serve(a, { env });
  return {
    ...a,
    ...h,
    stop: async () => {
      await h.stop();
      a.close();
    },
  };
}

/** Stops what startServed started, if it started (for afterAll after a failed beforeAll). */
export async function stopServed(ctx: Served | undefined): Promise<void> {
  await ctx?.stop();
}
