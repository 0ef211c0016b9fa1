import type { ErrorResponse, paths } from "@components-analytics/api-types";
import createClient from "openapi-fetch";
import { describe, expect, inject, it } from "vitest";

// The Accept header the client sends in production (see api-facts.md: the vendor type alone
// is a 406 on Prism, text/csv alone hides forced error codes).
const ACCEPT = "application/vnd.bentley.itwin-platform.v1+json, text/csv, application/json";
const AUTH = "Bearer contract-test-token";
const start = "2026-11-01T00:00:00.000Z";
const end = "2026-11-30T23:59:59.999Z";

const expectedCsv = `Date,UserEmail,CatalogName,ComponentName,VariationName,Action,Application,Count
2026-11-02T08:14:03.120Z,ana.silva@example.com,Structural Steel,W-Beam,W12x26,Download,MicroStation,3
2026-11-02T09:41:55.007Z,jonas.berg@example.com,Doors and Windows,"Door, single swing",900x2100,Insert,OpenBuildings Designer,1
2026-11-05T16:02:40.530Z,li.wei@example.com,MEP Fittings,Elbow 90°,DN50,Download,OpenPlant Modeler,7
2026-11-12T11:27:18.999Z,ana.silva@example.com,Structural Steel,HSS Column,HSS6x6x3/8,View,iTwin Viewer,12
2026-11-29T23:59:59.000Z,sam.okafor@example.com,Site Furniture,"Bench ""Park"" 2m",Default,Download,MicroStation,2
`;

const client = () =>
  createClient<paths>({ baseUrl: inject("mockUrl"), headers: { Accept: ACCEPT } });

// Bypasses the generated types on purpose: these requests are the invalid ones.
async function rawGet(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${inject("mockUrl")}/components/analytics/download?${query}`, {
    headers: { Accept: ACCEPT, Authorization: AUTH, ...headers },
  });
  return { response, body: (await response.json()) as ErrorResponse };
}

describe("200", () => {
  it("serves the spec's CSV example with Content-Disposition", async () => {
    const { data, error, response } = await client().GET("/components/analytics/download", {
      params: { query: { startDate: start, endDate: end } },
      headers: { Authorization: AUTH },
      parseAs: "text",
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(data).toBe(expectedCsv);
    const disposition = response.headers.get("content-disposition");
    expect(disposition).toMatch(/^attachment;\s*filename="([^"]+\.csv)"$/);
    expect(disposition?.match(/filename="([^"]+)"/)?.[1]).toBe(
      "ComponentsAnalytics_2026-11-01_2026-11-30.csv",
    );
  });
});

describe("401", () => {
  it("answers the documented body when Authorization is missing", async () => {
    const { error, response } = await client().GET("/components/analytics/download", {
      params: { query: { startDate: start, endDate: end } },
    });
    expect(response.status).toBe(401);
    expect(error).toEqual({
      error: {
        code: "HeaderNotFound",
        message: "Header Authorization was not found in the request. Access denied.",
      },
    });
  });
});

describe("403", () => {
  it("answers the documented body when forced with Prefer", async () => {
    const { error, response } = await client().GET("/components/analytics/download", {
      params: { query: { startDate: start, endDate: end } },
      headers: { Authorization: AUTH, Prefer: "code=403" },
    });
    expect(response.status).toBe(403);
    expect(error).toEqual({
      error: {
        code: "InsufficientPermissions",
        message: "The user has insufficient permissions for the requested operation.",
      },
    });
  });
});

describe("422", () => {
  const cases: Array<[string, string, string[]]> = [
    ["startDate missing", `endDate=${end}`, ["startdate"]],
    ["endDate missing", `startDate=${start}`, ["enddate"]],
    ["both missing", "", ["startdate", "enddate"]],
    ["date only", `startDate=2026-01-01&endDate=${end}`, ["startdate"]],
    ["no milliseconds", `startDate=${start}&endDate=2026-11-30T23:59:59Z`, ["enddate"]],
    ["+02:00 offset", `startDate=2026-11-01T00:00:00.000%2B02:00&endDate=${end}`, ["startdate"]],
    ["space instead of T", `startDate=${start}&endDate=2026-11-30%2023:59:59.999Z`, ["enddate"]],
  ];
  it.each(cases)("%s → documented 422 body", async (_name, query, violated) => {
    const { response, body } = await rawGet(query);
    expect(response.status).toBe(422);
    expect(body.error.code).toBe("InvalidDownloadAnalyticsRequest");
    expect(body.error.message).toBe("Cannot perform operation.");
    expect(body.error.details).toHaveLength(4);
    for (const detail of body.error.details ?? []) {
      expect(detail).toEqual({
        code: expect.stringMatching(/^(MissingRequiredParameter|InvalidValue)$/),
        message: expect.any(String),
        target: expect.stringMatching(/^(startDate|endDate)$/),
      });
    }
    // Prism lists what it rejected; the parameters we broke must be among them.
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as Array<{
      location: string[];
      message: string;
    }>;
    const locations = violations.map((v) => `${v.location.join(".")} ${v.message}`.toLowerCase());
    for (const name of violated) expect(locations.some((l) => l.includes(name))).toBe(true);
  });

  it("serves each named single-failure example on request", async () => {
    for (const [example, target, code] of [
      ["missingStartDate", "startDate", "MissingRequiredParameter"],
      ["missingEndDate", "endDate", "MissingRequiredParameter"],
      ["invalidStartDate", "startDate", "InvalidValue"],
      ["invalidEndDate", "endDate", "InvalidValue"],
    ] as const) {
      const { response, body } = await rawGet(`startDate=${start}&endDate=${end}`, {
        Prefer: `code=422, example=${example}`,
      });
      expect(response.status).toBe(422);
      expect(body.error.details).toEqual([{ code, message: expect.any(String), target }]);
    }
  });
});

describe("429", () => {
  it("answers the documented body with Retry-After", async () => {
    const { error, response } = await client().GET("/components/analytics/download", {
      params: { query: { startDate: start, endDate: end } },
      headers: { Authorization: AUTH, Prefer: "code=429" },
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(error).toEqual({
      error: {
        code: "TooManyRequests",
        message: "More requests were received than the subscription rate-limit allows.",
      },
    });
  });
});

describe("the production Accept header", () => {
  it.each([200, 401, 403, 422, 429])("yields the declared %i response", async (status) => {
    const response = await fetch(
      `${inject("mockUrl")}/components/analytics/download?startDate=${start}&endDate=${end}`,
      {
        headers: {
          Accept: ACCEPT,
          ...(status === 401 ? {} : { Authorization: AUTH }),
          ...(status === 200 || status === 401 ? {} : { Prefer: `code=${status}` }),
        },
      },
    );
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(
      status === 200 ? /^text\/csv/ : /^application\/json/,
    );
    await response.arrayBuffer();
  });
});
