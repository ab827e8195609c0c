import { describe, expect, it } from "vitest";
import { invariantApi, invariantResponse } from "../../app/lib/invariant.server";

/* The response guards of loaders and resource routes (docs/architecture.md#response-guards). */
const thrown = (fn: () => void): Response => {
  try {
    fn();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
};

describe("invariantResponse", () => {
  it("throws the page's 404 with the message as its body, as the hand-written throws did", async () => {
    const res = thrown(() => invariantResponse(null, "Fakturan finns inte."));
    const before = new Response("Fakturan finns inte.", { status: 404 });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Fakturan finns inte.");
    expect(res.headers.get("content-type")).toBe(before.headers.get("content-type"));
  });

  it("takes another status, headers and a message built only when needed", async () => {
    let built = 0;
    const message = () => `utkast ${++built}`;
    invariantResponse(true, message);
    expect(built).toBe(0);
    const res = thrown(() => invariantResponse(0, message, 409, { headers: { "X-Why": "draft" } }));
    expect([res.status, await res.text(), res.headers.get("x-why")]).toEqual([409, "utkast 1", "draft"]);
  });

  it("passes a truthy value and narrows its type", () => {
    const found = [{ id: 7 }].find((x) => x.id === 7);
    invariantResponse(found, "Finns inte.");
    expect(found.id).toBe(7);
  });
});

describe("invariantApi", () => {
  it("throws the API's error shape, 404 unless told", async () => {
    const res = thrown(() => invariantApi(undefined, "not_found", "No such invoice"));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No such invoice" } });
    const draft = thrown(() => invariantApi(false, "not_issued", "A draft has no PDF: issue it first", 409));
    expect(draft.status).toBe(409);
    expect(() => invariantApi({}, "not_found", "x")).not.toThrow();
  });
});
