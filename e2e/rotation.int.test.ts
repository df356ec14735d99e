/**
 * Link resets against the real server (`wrangler dev` on the build, as `npm start`
 * serves it), measured from the client side: the time from sending the reset request
 * to each connected editor's socket closing with 4403, idle and while the editors type.
 * Every update an editor saw acknowledged before the cut must still be in the document.
 */
import { afterAll, expect, it } from "vitest";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";

const TRIALS = Number(process.env.ROTATION_TRIALS ?? 10);
const EDITORS = 3;

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** Types into the first paragraph every few ms and records what the server acknowledged. */
function type(client: YClient, name: string) {
  const acked: string[] = [];
  let i = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && client.closeEvent === null) {
      const chunk = `<${name}.${i++}>`;
      const p = client.paragraph();
      p.insert(p.length, chunk);
      if (i % 4 === 0) {
        const pending = client.text().match(new RegExp(`<${name}\\.\\d+>`, "g")) ?? [];
        try {
          await client.saved(2000);
          acked.push(...pending.filter((c) => !acked.includes(c)));
        } catch {
          return; // cut before the ack: those were never acknowledged
        }
      } else {
        await new Promise((r) => setTimeout(r, 3));
      }
    }
  })();
  return { acked, stop: () => (stopped = true), done: loop };
}

it(`cuts every editor within a second of a reset (${TRIALS} idle + ${TRIALS} busy trials)`, async () => {
  server = await startQuire();
  const doc = await createDoc(server, "Rotation");
  const owner = await YClient.open(docUrl(server, doc.id, doc.ownerToken));
  let editToken = doc.editToken;
  const results: Record<"idle" | "busy", { toClose: number[]; afterResponse: number[] }> = {
    idle: { toClose: [], afterResponse: [] },
    busy: { toClose: [], afterResponse: [] },
  };

  for (const mode of ["idle", "busy"] as const) {
    for (let trial = 0; trial < TRIALS; trial++) {
      const editors = await Promise.all(Array.from({ length: EDITORS }, () => YClient.open(docUrl(server!, doc.id, editToken))));
      const typists = mode === "busy" ? editors.map((e, i) => type(e, `t${trial}e${i}`)) : [];
      if (mode === "busy") await new Promise((r) => setTimeout(r, 150));

      const closedAt = editors.map((e) => e.closed.then((ev) => ({ ...ev, at: performance.now() })));
      const sentAt = performance.now();
      const res = await fetch(`${server.http}/api/docs/${doc.id}/links/edit/rotate`, {
        method: "POST",
        headers: { authorization: `Bearer ${doc.ownerToken}` },
      });
      const respondedAt = performance.now();
      expect(res.status).toBe(200);
      editToken = ((await res.json()) as { token: string }).token;
      const closes = await Promise.all(closedAt);
      for (const c of closes) {
        expect(c.code).toBe(4403);
        expect(c.reason).toBe("link revoked");
        results[mode].toClose.push(c.at - sentAt);
        results[mode].afterResponse.push(c.at - respondedAt);
      }
      for (const t of typists) t.stop();
      await Promise.all(typists.map((t) => t.done));

      // Nothing an editor saw acknowledged is missing from what the owner (and so the server) has.
      await owner.saved();
      const text = owner.text();
      for (const t of typists) {
        expect(t.acked.length).toBeGreaterThan(0);
        for (const chunk of t.acked) expect(text).toContain(chunk);
      }
    }
  }

  for (const mode of ["idle", "busy"] as const) {
    const { toClose, afterResponse } = results[mode];
    console.log(
      `rotation → 4403 close, ${mode}, ${toClose.length} sockets: ` +
        `from request sent p50 ${pct(toClose, 50).toFixed(1)} ms, p95 ${pct(toClose, 95).toFixed(1)} ms, max ${Math.max(...toClose).toFixed(1)} ms; ` +
        `after the response arrived p50 ${pct(afterResponse, 50).toFixed(1)} ms, max ${Math.max(...afterResponse).toFixed(1)} ms`,
    );
    expect(Math.max(...toClose)).toBeLessThan(1000);
  }
  await owner.close();
});
