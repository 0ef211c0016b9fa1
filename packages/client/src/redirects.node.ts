import { AnalyticsApiError } from "./errors.js";
import type { Send } from "./transport.js";

const MAX_REDIRECTS = 5;
const BENTLEY_API_HOST = /^(?:[a-z0-9-]+-)?api\.bentley\.com$/i;

/** Same origin as the request, or an https iTwin Platform API host (`api.bentley.com`, `qa-api.bentley.com`, ...). */
export function isRedirectAllowed(from: URL, to: URL): boolean {
  if (to.origin === from.origin) return true;
  return to.protocol === "https:" && BENTLEY_API_HOST.test(to.hostname);
}

/**
 * Follows redirects by hand so that the access token only ever goes where
 * {@link isRedirectAllowed} says; anything else is refused with an error.
 */
export const sendWithRedirectPolicy: Send = async (fetch, url, init) => {
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(target, { ...init, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel();
    const next = new URL(location, target);
    const tooMany = hop >= MAX_REDIRECTS;
    if (tooMany || !isRedirectAllowed(url, next)) {
      throw new AnalyticsApiError({
        status: response.status,
        code: tooMany ? "TooManyRedirects" : "RedirectNotAllowed",
        message: tooMany
          ? `Stopped after ${MAX_REDIRECTS} redirects.`
          : `Refused to follow a redirect to ${next.origin}: only the same origin or https iTwin Platform API hosts are followed, so the access token never reaches another server.`,
        headers: response.headers,
      });
    }
    target = next;
  }
};
