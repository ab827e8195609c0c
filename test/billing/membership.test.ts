import { describe, expect, it } from "vitest";
import { memberStatus, participationState } from "../../billing/membership";

describe("memberStatus (docs/membership.md)", () => {
  it.each([
    [null, "2026-05-01", "active"],
    ["2026-05-01", "2026-05-01", "active"], // the resignation day itself still counts as a member
    ["2026-04-30", "2026-05-01", "resigned"],
    ["2026-12-31", "2026-05-01", "active"], // a resignation ahead
  ] as const)("resigned on %s, today %s → %s", (resignedOn, today, status) => {
    expect(memberStatus({ resignedOn }, today)).toBe(status);
  });
});

describe("participationState (docs/allocation.md#participants-of-a-year)", () => {
  it.each([
    ["2026-06-01", null, "2026-05-01", "upcoming"],
    ["2026-05-01", null, "2026-05-01", "active"], // starts today
    ["2025-01-01", null, "2026-05-01", "active"],
    ["2025-01-01", "2026-12-31", "2026-05-01", "leaving"],
    ["2025-01-01", "2026-05-01", "2026-05-01", "leaving"], // the last day still takes part
    ["2025-01-01", "2026-04-30", "2026-05-01", "ended"],
    ["2027-01-01", "2027-12-31", "2026-05-01", "upcoming"], // not started wins over a set end
  ] as const)("joined %s, left %s, today %s → %s", (joinedOn, leftOn, today, state) => {
    expect(participationState({ joinedOn, leftOn }, today)).toBe(state);
  });
});
