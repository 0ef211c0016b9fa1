// Fails when the committed generated code differs from what spec/ generates.
import { execFileSync } from "node:child_process";

const generated = ["packages/api-types/src/generated"];
execFileSync("pnpm", ["run", "generate"], { stdio: "inherit" });
// Working tree against the index: what generation changed, plus generated files git does not know.
const git = (...args) => execFileSync("git", args, { encoding: "utf8" });
const changed =
  git("diff", "--name-only", "--", ...generated) +
  git("ls-files", "--others", "--exclude-standard", "--", ...generated);
if (changed.trim()) {
  console.error(`\nGenerated code is out of date with spec/:\n${changed}`);
  execFileSync("git", ["--no-pager", "diff", "--stat", "--", ...generated], { stdio: "inherit" });
  console.error(
    "\nRun `pnpm generate` at the repository root and commit the result (never edit generated files by hand).",
  );
  process.exit(1);
}
console.log("Generated code matches spec/.");
