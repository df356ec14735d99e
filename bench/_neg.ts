import WebSocket from "ws";
const base = process.argv[2]!;
const r = await fetch(`${base}/api/docs`, { method: "POST", body: "{}" });
const d = (await r.json()) as { id: string; editToken: string };
const ws = new WebSocket(`${base.replace("http", "ws")}/parties/document/${d.id}?token=${d.editToken}`, {
  perMessageDeflate: { threshold: 0 },
});
ws.on("open", () => {
  console.log("negotiated:", JSON.stringify(ws.extensions));
  ws.terminate();
});
ws.on("error", (e) => console.log("err", e.message));
