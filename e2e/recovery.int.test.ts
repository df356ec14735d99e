/**
 * Recovery from R2 alone, on the real local stack (`wrangler dev`, its local R2 under the
 * state folder): after the last person leaves, the document reaches R2; with its Durable
 * Object's SQLite file deleted, the next visitor gets the whole document back.
 */
import { existsSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import type { Version } from "../shared/versions";
import { wipeDoDatabase } from "./support/do-files";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { YClient } from "./support/yclient";

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

it("rebuilds a document from R2 after its Durable Object's SQLite file is deleted", async () => {
  server = await startQuire();
  const { port, stateDir } = server;
  const doc = await createDoc(server, "From R2");
  const writer = await YClient.open(docUrl(server, doc.id, doc.editToken));
  writer.paragraph().insert(0, "Everything here must come back.");
  await writer.saved();
  await writer.close();

  // The last-leave alarm writes the snapshot a few seconds later.
  const list = async (): Promise<Version[]> =>
    (await (
      await fetch(`${server!.http}/api/docs/${doc.id}/versions`, { headers: { authorization: `Bearer ${doc.viewToken}` } })
    ).json()) as Version[];
  const deadline = Date.now() + 30_000;
  while ((await list()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  expect((await list()).map((v) => v.kind)).toEqual(["idle"]);

  await server.stop();
  const wiped = wipeDoDatabase(stateDir, doc.id);
  expect(existsSync(wiped)).toBe(false);
  server = await startQuire({ port, stateDir });

  const reader = await YClient.open(docUrl(server, doc.id, doc.viewToken));
  expect(reader.text()).toBe("Everything here must come back.");
  expect(reader.doc.getMap("meta").get("title")).toBe("From R2");
  await reader.close();
  // The edit link still works and the document carries on from where R2 left it.
  const editor = await YClient.open(docUrl(server, doc.id, doc.editToken));
  editor.paragraph().insert(editor.paragraph().length, " And it goes on.");
  await editor.saved();
  await editor.close();
  expect((await list()).map((v) => v.kind)).toEqual(["idle"]);
}, 180_000);
