import { describe, expect, it } from "vitest";
import { resolveAuthorization, toAuthorizationHeader } from "../src/auth.js";
import { InvalidArgumentError } from "../src/errors.js";

describe("toAuthorizationHeader", () => {
  it.each([
    ["eyJhbGciOi.abc.def", "Bearer eyJhbGciOi.abc.def"],
    ["Bearer eyJhbGciOi.abc.def", "Bearer eyJhbGciOi.abc.def"],
    ["bearer eyJ", "Bearer eyJ"],
    ["BEARER   eyJ", "Bearer eyJ"],
    ["  Bearer eyJ  ", "Bearer eyJ"],
    ["abc+/=", "Bearer abc+/="],
  ])("%j → %j", (input, expected) => {
    expect(toAuthorizationHeader(input)).toBe(expected);
  });

  it.each([[""], ["   "], ["Bearer "], [undefined], [null], [42]])(
    "refuses a missing token %j",
    (input) => {
      expect(() => toAuthorizationHeader(input)).toThrow(InvalidArgumentError);
      expect(() => toAuthorizationHeader(input)).toThrow(/accessToken is missing/);
    },
  );

  it.each([["Bearer s3cr3t t0ken"], ["s3cr3t\nt0ken"], ["s3cr3t-tökén"]])(
    "refuses a malformed token without echoing it",
    (input) => {
      try {
        toAuthorizationHeader(input);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).target).toBe("accessToken");
        const secret = input.replace(/^Bearer /, "").trim();
        if (secret)
          expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(secret);
      }
    },
  );
});

describe("resolveAuthorization", () => {
  it("calls a provider each time", async () => {
    let n = 0;
    const provider = async () => `Bearer t${++n}`;
    expect(await resolveAuthorization(provider)).toBe("Bearer t1");
    expect(await resolveAuthorization(provider)).toBe("Bearer t2");
  });

  it("refuses a provider that returns nothing", async () => {
    await expect(resolveAuthorization(async () => "")).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
