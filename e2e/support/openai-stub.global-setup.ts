/**
 * vitest globalSetup for the workers project: starts the OpenAI-compatible stub in
 * Node (workerd cannot listen) and provides its URL, which the project's
 * cloudflareTest(({ inject }) => …) passes to the Worker as OPENAI_BASE_URL.
 */
import type { TestProject } from "vitest/node";
import { startOpenAIStub } from "./openai-stub";
import "../../worker/ai/testing/stub-control";

/** The Worker's AI settings for tests: the real provider, pointed at the stub. */
export function aiStubBindings(url: string): Record<string, string> {
  return { OPENAI_BASE_URL: url, OPENAI_API_KEY: "sk-test-key", AI_MODEL: "stub-model" };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stub = await startOpenAIStub();
  project.provide("aiStubUrl", stub.url);
  return () => stub.close();
}
