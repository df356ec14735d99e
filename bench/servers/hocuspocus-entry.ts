/**
 * Hocuspocus 4 as its docs set it up, with the SQLite extension so documents persist,
 * and every other setting at its default (debounce 2 s, maxDebounce 10 s).
 * Run directly by Node 24 (type stripping): HOCUSPOCUS_PORT, HOCUSPOCUS_DB.
 */
import { SQLite } from "@hocuspocus/extension-sqlite";
import { Server } from "@hocuspocus/server";

const port = Number(process.env["HOCUSPOCUS_PORT"]);
const database = process.env["HOCUSPOCUS_DB"];
if (!port || !database) throw new Error("HOCUSPOCUS_PORT and HOCUSPOCUS_DB are required");

const server = new Server({
  port,
  address: "127.0.0.1",
  quiet: true,
  extensions: [new SQLite({ database })],
});
await server.listen();
console.log(`hocuspocus listening on 127.0.0.1:${port}`);
