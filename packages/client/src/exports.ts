// The public surface shared by the Node.js and browser entries.
export type { AccessTokenSource } from "./auth.js";
export type { DownloadProgress } from "./body.js";
export type {
  AnalyticsClient,
  AnalyticsClientOptions,
  DownloadOptions,
  DownloadPeriod,
} from "./client.js";
export type { DateInput } from "./dates.js";
export { AnalyticsDownload, type SaveOptions } from "./download.js";
export {
  AbortError,
  AnalyticsApiError,
  AnalyticsClientError,
  type ApiErrorInit,
  AuthenticationError,
  ConnectionError,
  type ErrorDetail,
  FileError,
  InvalidArgumentError,
  InvalidRequestError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export type { Logger } from "./transport.js";
export { VERSION } from "./version.js";
