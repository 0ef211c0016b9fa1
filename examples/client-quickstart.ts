// examples/client-quickstart.ts
import { createAnalyticsClient } from "@components-analytics/client";

const client = createAnalyticsClient({
  // "Bearer ey...", a bare token, or a provider such as () => authClient.getAccessToken()
  accessToken: process.env.ITWIN_ACCESS_TOKEN ?? "",
  baseUrl: process.env.ITWIN_API_BASE_URL, // undefined: https://api.bentley.com/library
});
const download = await client.downloadAnalytics({ startDate: "2026-11-01", endDate: "2026-12-01" });
console.log(download.filename, download.contentLength);
const path = await download.saveTo("./reports/"); // Node.js only; creates the folder
console.log(`saved ${path}`);
