/** What a workload needs from a server under test. */
import type { ClientOptions } from "../../e2e/support/yclient";

export type ServerId = "quire" | "quire-plain" | "quire-wrangler" | "hocuspocus" | "y-websocket" | "bare" | "bare-durable";

export interface Room {
  name: string;
  url: string;
  opts: ClientOptions;
}

/** What Quire's opt-in meter counts (worker/lib/meter.ts), totals since the server started. */
export interface MeterCounts {
  rowsRead: number;
  rowsWritten: number;
}

export interface BenchServer {
  readonly id: ServerId;
  readonly label: string;
  /** Keeps documents across a restart (false for y-websocket-server and the platform floor). */
  readonly persists: boolean;
  /** Sends a true durability ack (Quire's sync-check → saved). */
  readonly durableAck: boolean;
  /** Where it keeps its data; fresh for every start(). */
  stateDir: string;
  /** Starts on a new free port with an empty state directory. */
  start(): Promise<void>;
  /** Starts again on the same port and state directory (after stop or kill9). */
  restart(): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** kill -9 of the whole process group, as a crash. */
  kill9(): Promise<void>;
  /** RSS of the server's whole process tree, bytes. */
  rss(): number;
  /** CPU seconds so far per process of the tree (see lib/proc.ts groupCpu). */
  cpu(): Map<string, number>;
  createRoom(name: string): Promise<Room>;
  /** Quire's meter totals (null for servers without one, or when it is off). */
  readMeter(room: Room): Promise<MeterCounts | null>;
}
