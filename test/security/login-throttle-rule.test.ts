import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { loginWaitMs, THROTTLE, throttleDelayMs } from "../../app/lib/login-throttle";

const none = { count: 0, lastAt: null };

describe("the login throttling rule", () => {
  test.each([
    [0, 0],
    [2, 0],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [11, 256_000],
    [12, 300_000],
    [1000, 300_000],
  ])("one account from one address: %i failures wait %i ms", (failures, ms) => {
    expect(throttleDelayMs(failures, THROTTLE.pair)).toBe(ms);
  });

  test("the account-wide delay is capped at a minute, and waived for a browser that logged in before", () => {
    const now = 1_000_000;
    const stats = { pair: none, client: none, account: { count: 50, lastAt: now - 1000 } };
    expect(loginWaitMs(now, stats, { knownBrowser: false })).toBe(59_000);
    expect(loginWaitMs(now, stats, { knownBrowser: true })).toBe(0);
  });

  test("the longest of the three waits applies; none once the delay has passed", () => {
    const now = 10_000_000;
    const stats = {
      pair: { count: 3, lastAt: now - 200 },
      account: { count: 3, lastAt: now },
      client: { count: 25, lastAt: now - 2000 },
    };
    expect(loginWaitMs(now, stats, { knownBrowser: false })).toBe(30_000);
    expect(loginWaitMs(now + 40_000, stats, { knownBrowser: false })).toBe(0);
  });

  test("property: the delay never shrinks with more failures and never passes its cap", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(THROTTLE)), fc.nat(10_000), (rule, n) => {
        const d = throttleDelayMs(n, rule);
        expect(d).toBeLessThanOrEqual(rule.capMs);
        expect(throttleDelayMs(n + 1, rule)).toBeGreaterThanOrEqual(d);
        expect(d === 0).toBe(n < rule.free);
      }),
    );
  });
});
