// `pnpm check:packages`: publint and `attw --pack` on every publishable package, as a consumer
// would resolve it. Run after `pnpm build`. Every relaxation below carries its reason.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const checks = [
  {
    dir: "packages/api-types",
    // The spec subpath is a YAML file for tools (Prism, openapi-typescript), not a module with types.
    attw: ["--exclude-entrypoints", "./spec/library-analytics.openapi.yaml"],
  },
  { dir: "packages/client", attw: [] },
  {
    dir: "packages/mock",
    // ESM-only on purpose: a test helper for Node 20+, where require(esm) users use import().
    attw: ["--profile", "esm-only"],
  },
  {
    dir: "apps/cli",
    // A bin with no importable entry point: there are no types for attw to check.
    attw: null,
  },
];

let failed = false;
for (const { dir, attw } of checks) {
  const cwd = `${root}/${dir}`;
  const runs = [["publint", ["--strict"]]];
  if (attw) runs.push(["attw", ["--pack", ".", "--format", "table-flipped", ...attw]]);
  for (const [tool, args] of runs) {
    const result = spawnSync("pnpm", ["exec", tool, ...args], { cwd, encoding: "utf8" });
    const ok = result.status === 0;
    console.log(`${ok ? "✓" : "✗"} ${tool} ${dir}`);
    if (!ok) {
      failed = true;
      console.log(result.stdout, result.stderr);
    }
  }
}
process.exit(failed ? 1 : 0);
