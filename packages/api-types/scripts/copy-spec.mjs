// Ships the exact spec the types were generated from, so consumers can mock or regenerate from it.
import { copyFile, mkdir } from "node:fs/promises";

await mkdir(new URL("../spec/", import.meta.url), { recursive: true });
await copyFile(
  new URL("../../../spec/library-analytics.openapi.yaml", import.meta.url),
  new URL("../spec/library-analytics.openapi.yaml", import.meta.url),
);
