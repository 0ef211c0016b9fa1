// `pnpm check:examples`: the READMEs' code cannot rot. Every ```ts block that starts with
// `// examples/<file>` must equal that file; the examples type-check (Node and browser configs);
// and those that need only the mock run against it.
import { spawnSync } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "@components-analytics/mock";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const readmes = [
  "README.md",
  "packages/client/README.md",
  "packages/mock/README.md",
  "packages/api-types/README.md",
  "apps/cli/README.md",
];
const runnable = ["client-quickstart.ts", "client-rows.ts", "mock-in-tests.ts"];
let failed = false;
const fail = (message) => {
  failed = true;
  console.error(`✗ ${message}`);
};

let blocks = 0;
for (const readme of readmes) {
  const text = await readFile(join(root, readme), "utf8");
  for (const [, body] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const marker = /^\/\/ (examples\/\S+\.ts)\n/.exec(body);
    if (!marker) continue;
    blocks++;
    const file = await readFile(join(root, marker[1]), "utf8").catch(() => undefined);
    if (file === undefined) fail(`${readme}: ${marker[1]} does not exist`);
    else if (file !== body)
      fail(`${readme}: the block differs from ${marker[1]}; copy the file into the README`);
    else console.log(`✓ ${readme} shows ${marker[1]} verbatim`);
  }
}
if (blocks === 0) fail("no README block is tied to an example file");

for (const project of ["examples/tsconfig.json", "examples/browser/tsconfig.json"]) {
  const r = spawnSync("pnpm", ["exec", "tsc", "-p", project], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) fail(`tsc -p ${project}:\n${r.stdout}${r.stderr}`);
  else console.log(`✓ tsc -p ${project}`);
}

// Inside the repo, so that the bundles' bare imports resolve to the workspace packages.
const work = join(root, "examples/.out");
await mkdir(work, { recursive: true });
const mock = await startMockServer();
try {
  for (const example of runnable) {
    const outfile = join(work, example.replace(/\.ts$/, ".mjs"));
    await build({
      entryPoints: [join(root, "examples", example)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile,
      logLevel: "warning",
    });
    const r = spawnSync(process.execPath, [outfile], {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, ITWIN_ACCESS_TOKEN: "Bearer example", ITWIN_API_BASE_URL: mock.url },
    });
    if (r.status !== 0) fail(`examples/${example} exited ${r.status}:\n${r.stdout}${r.stderr}`);
    else console.log(`✓ ran examples/${example}: ${r.stdout.trim().split("\n").slice(-1)[0]}`);
  }
} finally {
  await mock.stop();
  await rm(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
