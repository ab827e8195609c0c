/*
 * The login throttling rule (docs/security.md "Login throttling"), pure: given the failed (or still running)
 * attempts of the last quarter hour, how long until the next attempt may be checked. No hard lockout: a delay
 * that doubles with every failure past a free allowance, up to a cap, counted three ways.
 */

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export interface ThrottleRule {
  /** Failures in the window before any delay. */
  free: number;
  /** The delay after the first failure past the free ones; it doubles with each further one. */
  baseMs: number;
  capMs: number;
}

export const THROTTLE = {
  /** One account from one address: a person mistyping, or one machine guessing. */
  pair: { free: 3, baseMs: 1000, capMs: 5 * 60 * 1000 },
  /**
   * One account from any address: guessing spread over many machines. Capped low, and waived for a browser that
   * has logged in to the account before, so that nobody else's guesses keep the account's owner out.
   */
  account: { free: 10, baseMs: 5000, capMs: 60 * 1000 },
  /** One address across accounts: one machine trying many e-mails with common passwords. */
  client: { free: 20, baseMs: 1000, capMs: 15 * 60 * 1000 },
} satisfies Record<string, ThrottleRule>;

export interface AttemptStats {
  /** Attempts in the window that failed or are being checked. */
  count: number;
  /** When the latest of them was made (ms since the epoch); null when there are none. */
  lastAt: number | null;
}

/** The delay after `failures` failures in the window under `rule`. */
export function throttleDelayMs(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  const doublings = Math.min(failures - rule.free, 30);
  return Math.min(rule.baseMs * 2 ** doublings, rule.capMs);
}

/**
 * Milliseconds until an attempt may be checked (0: now). `knownBrowser` is true when the request carries the
 * device cookie of this account, from an earlier successful login in the same browser.
 */
export function loginWaitMs(
  now: number,
  stats: { pair: AttemptStats; account: AttemptStats; client: AttemptStats },
  opts: { knownBrowser: boolean },
): number {
  const wait = (s: AttemptStats, rule: ThrottleRule) =>
    s.lastAt === null ? 0 : Math.max(0, s.lastAt + throttleDelayMs(s.count, rule) - now);
  return Math.max(
    wait(stats.pair, THROTTLE.pair),
    opts.knownBrowser ? 0 : wait(stats.account, THROTTLE.account),
    wait(stats.client, THROTTLE.client),
  );
}
