/** The shape of bench/results/latest.json (written by run.ts, rendered by report.ts). */
import type { BundleResult } from "../workloads/bundle";
import type { ColdResult } from "../workloads/cold";
import type { CrashResult } from "../workloads/crash";
import type { FanoutResult } from "../workloads/fanout";
import type { RoomsResult } from "../workloads/rooms";
import type { StormResult } from "../workloads/storm";
import type { ThroughputResult } from "../workloads/throughput";
import type { ServerId } from "../servers/types";
import type { Profile } from "./config";
import type { SystemInfo } from "./sysinfo";

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
  errors: string[];
}

export interface Results {
  profile: Profile;
  system: SystemInfo;
  durationSec: number;
  servers: ServerResults[];
  bundle?: BundleResult;
}
