/**
 * The table of every limit in shared/limits.ts (name, value, reason), written into
 * docs/SECURITY.md between markers, so the documentation cannot drift from the code:
 * `npm run docs:limits` rewrites it and e2e/repo/docs.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as limits from "../shared/limits";

export const START = "<!-- limits:start -->";
export const END = "<!-- limits:end -->";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function human(name: string, value: unknown): string {
  if (typeof value !== "number") return String(value);
  const n = (x: number) => x.toLocaleString("en");
  if (/_BYTES(_|$)/.test(name)) {
    if (value >= 1024 * 1024 && value % (1024 * 1024) === 0) return `${n(value / 1024 / 1024)} MiB`;
    if (value >= 1024 && value % 1024 === 0) return `${n(value / 1024)} KiB`;
    return `${n(value)} bytes`;
  }
  if (/_MS$/.test(name)) {
    if (value >= 86_400_000 && value % 86_400_000 === 0) return `${n(value / 86_400_000)} d`;
    if (value >= 3_600_000 && value % 3_600_000 === 0) return `${n(value / 3_600_000)} h`;
    if (value >= 60_000 && value % 60_000 === 0) return `${n(value / 60_000)} min`;
    if (value >= 1000 && value % 1000 === 0) return `${n(value / 1000)} s`;
    return `${n(value)} ms`;
  }
  return n(value);
}

/** Every `export const`, with the doc comment above it (consecutive constants under
 * one comment share it). */
export function limitsTable(source: string, values: Record<string, unknown>): string {
  const rows: string[] = ["| limit | value | why |", "|---|---|---|"];
  let block: string[] | null = null;
  let last = "";
  let used = false;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (block) {
      block.push(line.replace(/^\*\/?/, "").replace(/\*\/$/, ""));
      if (line.endsWith("*/")) {
        last = block.join(" ");
        block = null;
        used = false;
      }
      continue;
    }
    if (line.startsWith("/**")) {
      block = [line.replace(/^\/\*\*/, "").replace(/\*\/$/, "")];
      if (line.endsWith("*/")) {
        last = block.join(" ");
        block = null;
        used = false;
      }
      continue;
    }
    const m = /^export const ([A-Z0-9_]+)\s*=/.exec(line);
    if (m) {
      const name = m[1]!;
      const why = last.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim() || "(see the limit above)";
      rows.push(`| \`${name}\` | ${human(name, values[name])} | ${why} |`);
      used = true;
    } else if (line === "" && used) {
      last = "";
    }
  }
  return rows.join("\n");
}

export function renderedTable(): string {
  const source = readFileSync(`${ROOT}shared/limits.ts`, "utf8");
  return limitsTable(source, limits as unknown as Record<string, unknown>);
}

export function withTable(doc: string, table: string): string {
  const i = doc.indexOf(START);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) throw new Error(`docs/SECURITY.md needs ${START} and ${END}`);
  return `${doc.slice(0, i + START.length)}\n${table}\n${doc.slice(j)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = `${ROOT}docs/SECURITY.md`;
  writeFileSync(path, withTable(readFileSync(path, "utf8"), renderedTable()));
  console.log("docs/SECURITY.md: limits table rewritten");
}
