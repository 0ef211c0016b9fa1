import type { components, operations, paths } from "./generated/library-analytics.gen.js";

/** The error body the API documents for 401, 403, 422 and 429 responses. */
export type ErrorResponse = components["schemas"]["ErrorResponse"];
/** The `error` object inside an {@link ErrorResponse}. */
export type ApiError = components["schemas"]["Error"];
/** One entry of `error.details`, such as one missing or malformed parameter on a 422. */
export type ApiErrorDetail = components["schemas"]["ErrorDetail"];
/** The operation `downloadAnalytics` as generated from the spec. */
export type DownloadAnalyticsOperation = operations["downloadAnalytics"];
/** The query of `GET /components/analytics/download`: `startDate` and `endDate`, both required. */
export type DownloadAnalyticsQuery = DownloadAnalyticsOperation["parameters"]["query"];
/** The path of the Download analytics operation, relative to the API root. */
export type DownloadAnalyticsPath = keyof paths & "/components/analytics/download";
/** The CSV body of a successful download, as a string. */
export type DownloadAnalyticsCsv =
  DownloadAnalyticsOperation["responses"][200]["content"]["text/csv"];
