/** Command-line options and the two profiles: full (~15 min) and --quick (1–2 min smoke run). */
import type { ServerId } from "../servers/types";

export interface Profile {
  name: "full" | "quick";
  fanout: { readers: number[]; runs: number; writes: number; warmup: number };
  /** People typing with carets in one document, as browsers send it (files before issue 24 lack it). */
  typists?: { typists: number; charsPerSecond: number; seconds: number; runs: number; drainMs: number };
  throughput: { peers: number; rates: number[]; stepMs: number; runs: number };
  /** One writer, the other peers reading (the "one writer to 10 readers"). */
  stream: { peers: number; writers: number; rates: number[]; stepMs: number; runs: number };
  rooms: { rooms: number; clientsPerRoom: number; writeMs: number; idleMs: number };
  cold: { updatesPerTxnGroup: number; runs: number; sendRate: number };
  crash: { cycles: number; typeRate: number; minTypeMs: number; maxTypeMs: number };
  storm: { clients: number; runs: number };
}

export const FULL: Profile = {
  name: "full",
  fanout: { readers: [1, 10, 30, 100], runs: 3, writes: 200, warmup: 20 },
  typists: { typists: 30, charsPerSecond: 6.7, seconds: 20, runs: 2, drainMs: 30_000 },
  throughput: { peers: 50, rates: [500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000], stepMs: 2500, runs: 3 },
  stream: { peers: 11, writers: 1, rates: [500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000], stepMs: 2500, runs: 3 },
  rooms: { rooms: 200, clientsPerRoom: 3, writeMs: 6000, idleMs: 12_000 },
  cold: { updatesPerTxnGroup: 20, runs: 5, sendRate: 4000 },
  crash: { cycles: 5, typeRate: 200, minTypeMs: 1000, maxTypeMs: 2500 },
  storm: { clients: 100, runs: 3 },
};

export const QUICK: Profile = {
  name: "quick",
  fanout: { readers: [1, 10, 30], runs: 1, writes: 50, warmup: 10 },
  typists: { typists: 30, charsPerSecond: 6.7, seconds: 10, runs: 1, drainMs: 30_000 },
  throughput: { peers: 50, rates: [1000, 4000], stepMs: 1000, runs: 1 },
  stream: { peers: 11, writers: 1, rates: [1000, 4000, 12000], stepMs: 1000, runs: 1 },
  rooms: { rooms: 30, clientsPerRoom: 3, writeMs: 1500, idleMs: 0 },
  cold: { updatesPerTxnGroup: 200, runs: 1, sendRate: 4000 },
  crash: { cycles: 1, typeRate: 200, minTypeMs: 800, maxTypeMs: 1200 },
  storm: { clients: 100, runs: 1 },
};

export const WORKLOADS = ["fanout", "typists", "throughput", "stream", "rooms", "cold", "crash", "storm", "bundle"] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Options {
  profile: Profile;
  servers: ServerId[];
  workloads: Workload[];
  argv: string[];
}

/** The default set, in report order; a full run of all of them refreshes the READMEs. */
export const ALL_SERVERS: ServerId[] = ["quire", "quire-plain", "hocuspocus", "y-websocket", "bare", "bare-durable"];

/** Also accepted by --servers, never run by default. */
const EXTRA_SERVERS: ServerId[] = ["quire-wrangler"];

export function parseArgs(argv: string[]): Options {
  let profile = FULL;
  let servers = ALL_SERVERS;
  let workloads: Workload[] = [...WORKLOADS];
  for (const arg of argv) {
    const [key, value = ""] = arg.split("=", 2);
    if (key === "--quick") profile = QUICK;
    else if (key === "--servers")
      servers = value.split(",").filter((s): s is ServerId => ([...ALL_SERVERS, ...EXTRA_SERVERS] as string[]).includes(s));
    else if (key === "--only") workloads = value.split(",").filter((w): w is Workload => (WORKLOADS as readonly string[]).includes(w));
    else if (key === "--help" || key === "-h") {
      console.log(
        "npm run bench [-- --quick] [--servers=quire,quire-plain,quire-wrangler,hocuspocus,y-websocket,bare,bare-durable] [--only=fanout,typists,throughput,stream,rooms,cold,crash,storm,bundle]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
  }
  if (servers.length === 0 || workloads.length === 0) throw new Error("nothing to run");
  return { profile, servers, workloads, argv };
}
