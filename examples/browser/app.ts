// A tiny browser page: downloads the analytics through the client's browser build and shows
// the row count. Bundled by scripts/browser-smoke.mjs and loaded in headless Chromium.
import { createAnalyticsClient } from "@components-analytics/client";

const out = document.querySelector("#count") as HTMLElement;
try {
  const api = new URLSearchParams(location.search).get("api") ?? "";
  const client = createAnalyticsClient({ accessToken: "Bearer browser-demo", baseUrl: api });
  const download = await client.downloadAnalytics({
    startDate: "2026-11-01",
    endDate: "2026-11-30",
  });
  let rows = 0;
  for await (const _row of download.rows()) rows++;
  out.dataset.filename = download.filename;
  out.textContent = String(rows);
} catch (error) {
  out.textContent = `error: ${(error as Error).name}: ${(error as Error).message}`;
}
