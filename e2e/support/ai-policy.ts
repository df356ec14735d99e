/** The owner's AI policy from the Share dialog, and a raw AI request as any script could
 * send it on the document socket (what the server answers, not what the UI hides). */
import { expect, type Page } from "@playwright/test";
import WebSocket from "ws";
import { docUrl, type QuireServer } from "./server";

export async function setPolicy(owner: Page, label: string): Promise<void> {
  await owner.getByRole("button", { name: "Share" }).click();
  const dialog = owner.getByRole("dialog", { name: "Share this document" });
  await dialog.getByRole("radio", { name: label }).check();
  await expect(dialog.getByRole("radio", { name: label })).toBeChecked();
  await dialog.getByRole("button", { name: "Done" }).click();
}

/** The first `ai-error` (or `ai-done`) the server answers a raw request with. */
export async function rawAiRequest(server: QuireServer, id: string, token: string): Promise<{ type: string; code?: string }> {
  const ws = new WebSocket(`${docUrl(server, id, token)}`);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no AI answer")), 15_000);
      ws.on("message", (data, binary) => {
        if (binary) return;
        const text = data.toString();
        if (!text.startsWith("__YPS:")) return;
        const msg = JSON.parse(text.slice(6)) as { type: string; code?: string };
        if (msg.type === "welcome") {
          const request = { type: "ai-request", requestId: "raw1", command: "summarize", options: {}, range: { from: {}, to: {} } };
          ws.send(`__YPS:${JSON.stringify(request)}`);
        } else if (msg.type === "ai-error" || msg.type === "ai-done") {
          clearTimeout(timer);
          resolve(msg);
        }
      });
      ws.on("error", reject);
    });
  } finally {
    ws.close();
  }
}
