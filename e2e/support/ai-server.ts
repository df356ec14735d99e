/** A spec file's Quire server with the local OpenAI stub in place of a model: started
 * before its tests (run in order, sharing them), stopped after, the stub's behaviour
 * reset before each test. `started` hands both to the spec. */
import { test } from "@playwright/test";
import { startOpenAIStub, type OpenAIStub } from "./openai-stub";
import { startQuire, type QuireServer } from "./server";

export function withAiStub(started: (stub: OpenAIStub, server: QuireServer) => void): void {
  let stub: OpenAIStub | undefined;
  let server: QuireServer | undefined;
  test.describe.configure({ mode: "serial" });
  test.beforeAll(async () => {
    stub = await startOpenAIStub();
    server = await startQuire({ env: { OPENAI_BASE_URL: stub.url, OPENAI_API_KEY: "sk-e2e", AI_MODEL: "stub-model" } });
    started(stub, server);
  });
  test.afterAll(async () => {
    await server?.stop();
    await stub?.close();
  });
  test.beforeEach(() => stub?.reset());
}
