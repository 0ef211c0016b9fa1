import {
  type AnalyticsClient,
  type AnalyticsClientOptions,
  createAnalyticsClientFor,
} from "./client.js";
import type { Platform } from "./download.js";
import { sendWithRedirectPolicy } from "./redirects.node.js";
import { rows } from "./rows.node.js";
import { saveTo } from "./save.node.js";
import { VERSION } from "./version.js";

export * from "./exports.js";

const node: Platform = {
  send: sendWithRedirectPolicy,
  identify: (userAgent) => ({
    "User-Agent": `components-analytics-client/${VERSION} node/${process.versions.node}${userAgent ? ` ${userAgent}` : ""}`,
  }),
  rows,
  saveTo,
};

/**
 * Creates a client of the iTwin Platform Library API's Download analytics operation.
 * Throws {@link InvalidArgumentError} for invalid options (no request is sent).
 *
 * @example
 * const client = createAnalyticsClient({ accessToken: () => auth.getAccessToken() });
 * const download = await client.downloadAnalytics({ startDate: "2026-11-01", endDate: "2026-12-01" });
 * const path = await download.saveTo("./reports");
 */
export function createAnalyticsClient(options: AnalyticsClientOptions): AnalyticsClient {
  return createAnalyticsClientFor(node, options);
}
