import { describe, expectTypeOf, it } from "vitest";
import type {
  DownloadAnalyticsOperation,
  DownloadAnalyticsQuery,
  ErrorResponse,
} from "../src/index.js";

describe("generated types", () => {
  it("require startDate and endDate as strings", () => {
    expectTypeOf<DownloadAnalyticsQuery>().toEqualTypeOf<{ startDate: string; endDate: string }>();
  });

  it("type every documented error body as ErrorResponse", () => {
    type Responses = DownloadAnalyticsOperation["responses"];
    expectTypeOf<Responses[401]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<Responses[403]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<Responses[422]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
    expectTypeOf<Responses[429]["content"]["application/json"]>().toEqualTypeOf<ErrorResponse>();
  });

  it("type the success body as CSV text", () => {
    type Responses = DownloadAnalyticsOperation["responses"];
    expectTypeOf<Responses[200]["content"]["text/csv"]>().toEqualTypeOf<string>();
  });

  it("let error details carry code, message and a nullable target", () => {
    type Detail = NonNullable<ErrorResponse["error"]["details"]>[number];
    expectTypeOf<Detail["code"]>().toEqualTypeOf<string>();
    expectTypeOf<Detail["target"]>().toEqualTypeOf<string | null | undefined>();
  });
});
