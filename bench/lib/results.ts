/**
 * The shape of a result file, bench/results/<mode>/<stamp>.json (written by run.ts,
 * rendered by report.ts). Every figure README.md and docs/BENCHMARKS.md quote comes
 * from one of these files, which names its commit, date, machine and options.
 */
import type { BundleResult } from "../workloads/bundle";
import type { ColdResult } from "../workloads/cold";
import type { CrashResult } from "../workloads/crash";
import type { FanoutResult } from "../workloads/fanout";
import type { RoomsResult } from "../workloads/rooms";
import type { StormResult } from "../workloads/storm";
import type { ThroughputResult } from "../workloads/throughput";
import type { TypistsResult } from "../workloads/typists";
import type { ServerId } from "../servers/types";
import type { Profile } from "./config";
import type { SystemInfo } from "./sysinfo";

/** A workload that did not produce its figure on one server, and why. */
export interface Failure {
  workload: string;
  message: string;
  /** The server's log, kept beside the result file (path relative to the repository). */
  log?: string;
  /** Its last lines, quoted in the report. */
  logTail?: string[];
}

export interface ServerResults {
  id: ServerId;
  label: string;
  /** RSS of the whole process tree right after start, bytes. */
  startRss?: number;
  /** The same split by command name (node: "MainThread"), bytes. */
  startRssByCommand?: Record<string, number>;
  /** The WebSocket extension the server accepted from a bench client ("none" if none). */
  negotiated?: string;
  fanout?: FanoutResult[];
  /** 30 people typing with carets, as browsers send it. */
  typists?: TypistsResult;
  throughput?: ThroughputResult;
  /** The same ramp with one writer and the other peers reading. */
  stream?: ThroughputResult;
  rooms?: RoomsResult;
  /** null: not applicable (in-memory server). */
  cold?: ColdResult | null;
  crash?: CrashResult | null;
  storm?: StormResult;
  /** Share of the machine's CPU busy (other users included) just before each workload. */
  machineBusy?: Record<string, number>;
  /** One line per failure ("workload: message"); kept for files written before `failures`. */
  errors: string[];
  failures?: Failure[];
  /** Things that went wrong and were recovered from (a start retried), with their logs. */
  notes?: string[];
}

/** How the run was asked for. */
export interface RunOptions {
  argv: string[];
  servers: ServerId[];
  workloads: string[];
  /** Every workload on every default server: only such a run moves `latest`. */
  complete: boolean;
}

export interface Results {
  /** 2: commit, dirty tree, options and failures recorded (files before it lack them). */
  schema?: number;
  profile: Profile;
  system: SystemInfo;
  options?: RunOptions;
  durationSec: number;
  servers: ServerResults[];
  bundle?: BundleResult;
  /** Figures of the scripts a complete run also runs (bench/ttfc.ts, bench/cost.ts). */
  extras?: {
    ttfc?: { runs: { ms: number; wsBytes: number; httpBytes: number }[]; editableMs?: number[] } | { error: string };
    /** The cost result file written by bench/cost.ts in the same run. */
    cost?: string | { error: string };
  };
}
