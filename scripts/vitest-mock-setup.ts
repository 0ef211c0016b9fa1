import { startMockServer } from "@components-analytics/mock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

// One Prism for the whole suite, started through the package's own public function.
export default async function setup(project: TestProject) {
  const server = await startMockServer();
  project.provide("mockUrl", server.url);
  return async () => {
    await server.stop();
  };
}
