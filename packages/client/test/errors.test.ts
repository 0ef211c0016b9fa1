import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AnalyticsApiError,
  AnalyticsClientError,
  AuthenticationError,
  errorFromResponse,
  InvalidRequestError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from "../src/errors.js";

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });

describe("errorFromResponse", () => {
  it.each([
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [422, InvalidRequestError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [404, AnalyticsApiError],
  ])("maps %i to %o", (status, cls) => {
    const error = errorFromResponse(response(status), "");
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(AnalyticsApiError);
    expect(error).toBeInstanceOf(AnalyticsClientError);
    expect(error.name).toBe(cls.name);
    expect(error.status).toBe(status);
  });

  it("reads the documented body", () => {
    const body = JSON.stringify({
      error: { code: "InsufficientPermissions", message: "No.", target: "org" },
    });
    const error = errorFromResponse(
      new Response(null, { status: 403, statusText: "Forbidden" }),
      body,
    );
    expect(error).toMatchObject({ code: "InsufficientPermissions", target: "org", details: [] });
    expect(error.message).toBe("HTTP 403 Forbidden: InsufficientPermissions: No.");
    // HTTP/2 has no reason phrase.
    expect(errorFromResponse(response(403), body).message).toBe(
      "HTTP 403: InsufficientPermissions: No.",
    );
  });

  it.each([
    ["{}", "application/json"],
    ['{"error": "string"}', "application/json"],
    ["[1,2]", "application/json"],
    ["null", "application/json"],
    ["<html/>", "text/html"],
  ])("survives an undocumented body %j", (body, type) => {
    const error = errorFromResponse(response(500, { "content-type": type }), body);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe("Http500");
    expect(error.message).toMatch(new RegExp(`a ${type.replace("/", "\\/")} body`));
  });

  it("tolerates odd details entries", () => {
    const error = errorFromResponse(
      response(422),
      JSON.stringify({
        error: {
          code: "X",
          message: "m",
          details: [null, 3, { code: 1 }, { code: "A", message: "b" }],
        },
      }),
    );
    expect(error.details).toEqual([
      { code: "Unknown", message: "", target: null },
      { code: "A", message: "b", target: null },
    ]);
  });

  it("never keeps credentials from response headers", () => {
    const error = errorFromResponse(
      response(401, { "set-cookie": "a=b", "x-request-id": "r1", "www-authenticate": "Bearer" }),
      "",
    );
    expect(Object.keys(error.headers).sort()).toEqual(["www-authenticate", "x-request-id"]);
    expect(error.requestId).toBe("r1");
  });

  it("serialises without stack or cause", () => {
    const error = errorFromResponse(response(429), "", 5000) as RateLimitError;
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({
      name: "RateLimitError",
      status: 429,
      retryAfterMs: 5000,
      message: expect.any(String),
    });
    expect(json.stack).toBeUndefined();
    expect(inspect(error)).toContain("RateLimitError");
  });
});
