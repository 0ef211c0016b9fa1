// examples/mock-in-tests.ts
import { createAnalyticsClient } from "@components-analytics/client";
import { startMockServer } from "@components-analytics/mock";

const mock = await startMockServer(); // Prism on a free loopback port, the bundled spec
try {
  const client = createAnalyticsClient({ accessToken: "Bearer test", baseUrl: mock.url });
  const download = await client.downloadAnalytics({
    startDate: "2026-11-01",
    endDate: "2026-11-30",
  });
  console.log(download.filename, (await download.text()).split("\n").length - 2, "rows");
} finally {
  await mock.stop(); // SIGTERM, then SIGKILL after a grace period
}
