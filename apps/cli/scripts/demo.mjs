// `pnpm start`: the CLI's main job against the bundled mock, end to end, with no token and no
// network. Starts Prism on a free loopback port, runs the built bin as a user would, prints a
// summary and a preview of the CSV, and stops the mock.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockServer } from "@components-analytics/mock";
import { parse } from "csv-parse/sync";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));
const mock = await startMockServer();
let code = 0;
try {
  // --overwrite so that `pnpm start` can run again: the mock always names the file the same.
  const args = [
    "download",
    "--last",
    "30d",
    "--out",
    "./downloads",
    "--overwrite",
    "--json",
    "--quiet",
  ];
  console.log(`$ components-analytics ${args.join(" ")}   (mock API at ${mock.url})`);
  const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args], {
    cwd: root,
    env: {
      ...process.env,
      ITWIN_ACCESS_TOKEN: "placeholder-token-for-the-mock",
      ITWIN_API_BASE_URL: mock.url,
    },
  });
  const result = JSON.parse(stdout);
  console.log(result.path);
  console.log(
    `\nfile ${result.filename}: ${result.bytes} bytes, ${result.rows} rows, ${result.startDate} to ${result.endDate}, ${result.durationMs} ms, ${result.retries} retries`,
  );
  const rows = parse(await readFile(result.path, "utf8"), { columns: true, to_line: 4 });
  console.log("\nFirst rows:");
  console.table(rows);
} catch (error) {
  console.error(error.stderr || error.message);
  code = error.code ?? 1;
} finally {
  await mock.stop();
}
process.exit(code);
