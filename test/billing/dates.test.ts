import { describe, expect, it } from "vitest";
import { activeInYear, addDays, currentYear, endOfYear, isIsoDate, todayIso, yearOf } from "../../billing/dates";

describe("isIsoDate", () => {
  it.each([
    ["2024-02-29", true], // 2024 is a leap year
    ["2025-02-29", false],
    ["2000-02-29", true], // divisible by 400
    ["1900-02-29", false], // divisible by 100, not by 400
    ["2025-02-28", true],
    ["2025-04-31", false],
    ["2025-12-31", true],
    ["2025-13-01", false],
    ["2025-00-10", false],
    ["2025-01-00", false],
    ["2025-1-01", false],
    ["25-01-01", false],
    ["2025-01-01T00:00:00Z", false],
    [" 2025-01-01", false],
    ["", false],
  ])("%s → %s", (s, expected) => {
    expect(isIsoDate(s)).toBe(expected);
  });
});

describe("yearOf", () => {
  it("reads the year", () => {
    expect(yearOf("2026-03-15")).toBe(2026);
  });
  it("rejects what is not a date", () => {
    expect(() => yearOf("2026-02-30")).toThrow(RangeError);
  });
});

describe("addDays", () => {
  it.each([
    ["2026-01-01", 30, "2026-01-31"],
    ["2026-01-31", 1, "2026-02-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2025-02-28", 1, "2025-03-01"],
    ["2025-12-31", 1, "2026-01-01"],
    ["2026-01-01", -1, "2025-12-31"],
    ["2026-03-28", 2, "2026-03-30"], // across the change to summer time in Sweden (29 March 2026)
    ["2026-10-24", 2, "2026-10-26"], // and back (25 October 2026)
    ["2026-12-02", 30, "2027-01-01"],
    ["2026-05-05", 0, "2026-05-05"],
  ])("%s + %i days = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it("rejects a fractional number of days and an invalid date", () => {
    expect(() => addDays("2026-01-01", 1.5)).toThrow(RangeError);
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
  });
});

describe("todayIso", () => {
  it("uses Swedish time in winter (UTC+1)", () => {
    expect(todayIso(new Date("2025-12-31T22:59:59Z"))).toBe("2025-12-31");
    expect(todayIso(new Date("2025-12-31T23:00:00Z"))).toBe("2026-01-01");
  });
  it("uses Swedish time in summer (UTC+2)", () => {
    expect(todayIso(new Date("2026-06-30T21:59:59Z"))).toBe("2026-06-30");
    expect(todayIso(new Date("2026-06-30T22:00:00Z"))).toBe("2026-07-01");
  });
  it("defaults to now", () => {
    expect(isIsoDate(todayIso())).toBe(true);
  });
});

describe("activeInYear", () => {
  it.each([
    // [from, to, year, active]
    ["2025-12-31", null, 2025, true], // joined on the last day of the year: pays that year
    ["2025-12-31", null, 2026, true],
    ["2025-12-31", null, 2024, false],
    ["2020-03-01", "2025-01-01", 2025, true], // resigned on the first day of the year: still pays that year
    ["2020-03-01", "2025-01-01", 2026, false],
    ["2020-03-01", "2024-12-31", 2025, false],
    ["2020-03-01", "2024-12-31", 2024, true],
    ["2020-03-01", "2024-12-31", 2019, false],
    ["2026-01-01", null, 2026, true],
    ["2026-01-01", "2026-01-01", 2026, true], // a single day
    ["2026-01-02", "2026-01-01", 2026, false], // an empty interval
    ["2005-01-01", null, 2099, true],
  ] as Array<[string, string | null, number, boolean]>)("[%s, %s] in %i → %s", (from, to, year, expected) => {
    expect(activeInYear(from, to, year)).toBe(expected);
  });
});

describe("currentYear: the year in Stockholm, not the server's local year", () => {
  // Stockholm is UTC+1 in winter and UTC+2 in summer; around New Year the server's UTC or local year can differ.
  it.each([
    ["2025-12-31T22:59:59Z", 2025], // 23:59:59 in Stockholm
    ["2025-12-31T23:00:00Z", 2026], // midnight in Stockholm
    ["2025-12-31T23:30:00Z", 2026], // 00:30 on 1 January in Stockholm, still 31 December in UTC
    ["2026-01-01T00:30:00Z", 2026],
    ["2026-06-30T22:30:00Z", 2026], // summer time: 00:30 on 1 July
    ["2024-02-29T12:00:00Z", 2024],
  ])("%s → %i", (instant, year) => {
    expect(currentYear(new Date(instant))).toBe(year);
    expect(currentYear(new Date(instant))).toBe(yearOf(todayIso(new Date(instant))));
  });

  it("31 December 23:30 UTC is already the next year in Stockholm but not in UTC", () => {
    const now = new Date("2025-12-31T23:30:00Z");
    expect(now.getUTCFullYear()).toBe(2025);
    expect(currentYear(now)).toBe(2026);
  });
});

describe("endOfYear", () => {
  it.each([
    [2026, "2026-12-31"],
    [2024, "2024-12-31"],
    [999, "0999-12-31"],
  ])("%i → %s", (year, date) => {
    expect(endOfYear(year)).toBe(date);
    expect(isIsoDate(endOfYear(year))).toBe(true);
  });
});
