import { InvalidArgumentError } from "./errors.js";

/**
 * An access token: an iTwin.js `AccessToken` string (`"Bearer ey..."`), a bare token, or a
 * function returning either (e.g. `() => authClient.getAccessToken()`), called once per attempt
 * so that refreshed tokens are used.
 */
export type AccessTokenSource = string | (() => string | Promise<string>);

// RFC 6750 b64token characters; anything else (spaces, newlines, non-ASCII) would be refused by
// fetch with an error that quotes the header value, i.e. the token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Normalises a token in any accepted form to the `Authorization` header value `Bearer <token>`. */
export function toAuthorizationHeader(token: unknown): string {
  if (typeof token !== "string" || token.trim() === "" || /^bearer$/i.test(token.trim())) {
    throw InvalidArgumentError.of(
      "accessToken",
      "accessToken is missing or empty: pass an iTwin Platform access token (scope itwin-platform).",
      "MissingRequiredParameter",
    );
  }
  const bare = token.trim().replace(/^bearer\s+/i, "");
  if (!B64TOKEN.test(bare)) {
    throw InvalidArgumentError.of(
      "accessToken",
      'accessToken is malformed: expected a bearer token (letters, digits and -._~+/ only), optionally prefixed with "Bearer ".',
    );
  }
  return `Bearer ${bare}`;
}

/** Resolves the token source for one attempt. */
export async function resolveAuthorization(source: AccessTokenSource): Promise<string> {
  const token = typeof source === "function" ? await source() : source;
  return toAuthorizationHeader(token);
}
