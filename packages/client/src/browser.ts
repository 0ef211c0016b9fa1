import {
  type AnalyticsClient,
  type AnalyticsClientOptions,
  createAnalyticsClientFor,
} from "./client.js";
import type { Platform } from "./download.js";
import { rows } from "./rows.browser.js";

export * from "./exports.js";

const browser: Platform = {
  // Browsers follow redirects themselves and drop Authorization on cross-origin hops;
  // a "manual" redirect would be opaque to us there.
  send: (fetch, url, init) => fetch(url, { ...init, redirect: "follow" }),
  // Browsers do not let scripts set User-Agent.
  identify: () => ({}),
  rows,
  saveTo: () =>
    Promise.reject(
      new TypeError("saveTo() needs Node.js; in browsers use stream(), text() or rows()."),
    ),
};

/** Creates a client of the Download analytics operation (browser build; `saveTo` is Node.js-only). */
export function createAnalyticsClient(options: AnalyticsClientOptions): AnalyticsClient {
  return createAnalyticsClientFor(browser, options);
}
