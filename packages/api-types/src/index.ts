export type * from "./aliases.js";
export type { components, operations, paths, webhooks } from "./generated/library-analytics.gen.js";
