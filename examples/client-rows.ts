// examples/client-rows.ts
import {
  type AnalyticsClientError,
  createAnalyticsClient,
  InvalidArgumentError,
  InvalidRequestError,
  RateLimitError,
} from "@components-analytics/client";

const client = createAnalyticsClient({
  accessToken: async () => process.env.ITWIN_ACCESS_TOKEN ?? "", // called once per attempt
  baseUrl: process.env.ITWIN_API_BASE_URL,
  maxRetries: 3,
});
try {
  const download = await client.downloadAnalytics(
    { startDate: new Date(Date.now() - 7 * 86_400_000), endDate: new Date() },
    { signal: AbortSignal.timeout(10 * 60_000) },
  );
  const perUser = new Map<string, number>();
  for await (const row of download.rows()) {
    // Columns are not documented by the API: keys come from the CSV's header row.
    const user = row.UserEmail ?? "(unknown)";
    perUser.set(user, (perUser.get(user) ?? 0) + 1);
  }
  console.table([...perUser].map(([user, rows]) => ({ user, rows })));
} catch (error) {
  if (error instanceof InvalidArgumentError || error instanceof InvalidRequestError) {
    for (const d of error.details) console.error(`${d.target}: ${d.message}`);
  } else if (error instanceof RateLimitError) {
    console.error(`rate limited; retry in ${error.retryAfterMs ?? 60_000} ms`);
  } else {
    console.error((error as AnalyticsClientError).message);
  }
  process.exitCode = 1;
}
