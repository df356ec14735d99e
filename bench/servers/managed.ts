/**
 * A server process the bench owns: started detached in its own process group on a
 * free loopback port, with its own temporary state directory, health-checked before
 * use and always stopped (see lib/proc.ts cleanup).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, groupCpu, groupRss, groupRssByCommand, killGroup, spawnGroup, stopGroup, waitForHttp, type Group } from "../lib/proc";
import type { BenchServer, MeterCounts, Room, ServerId } from "./types";

export interface KeptLog {
  log: string;
  logTail: string[];
}

/** A server that failed to start twice, with the logs of both attempts. */
export class StartError extends Error {
  constructor(
    message: string,
    readonly logs: (KeptLog | null)[],
  ) {
    super(message);
  }
}

export interface Launch {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ServerSpec {
  id: ServerId;
  label: string;
  persists: boolean;
  durableAck: boolean;
  healthPath: string;
  startTimeoutMs: number;
  /** Clients offer permessage-deflate as browsers do (default true); false is the
   * compression-off comparison row. */
  clientDeflate?: boolean;
  launch(port: number, stateDir: string): Launch;
  /** Quire's opt-in meter (worker/lib/meter.ts): the environment that turns it on and how
   * to read its totals from the server log. */
  meter?: { env: Record<string, string>; read(room: Room, logFile: string): Promise<MeterCounts | null> };
  createRoom(base: { http: string; ws: string }, name: string): Promise<Room>;
}

export class ManagedServer implements BenchServer {
  readonly id: ServerId;
  readonly label: string;
  readonly persists: boolean;
  readonly durableAck: boolean;
  stateDir = "";
  port = 0;
  /** This start's server log (stdout and stderr of its whole process group). */
  logFile = "";
  /** Extra environment for the next starts (e.g. the typists workload's meter). */
  env: Record<string, string> = {};
  /** The workload being run, for notes and kept logs. */
  workload = "";
  /** Recovered failures (a start retried), for the report. */
  readonly notes: string[] = [];
  /** Keeps a copy of a log (set by the runner); returns where, or null. */
  keepLog: (logFile: string, what: string) => KeptLog | null = () => null;
  private group: Group | null = null;
  private readonly dirs: string[] = [];

  constructor(
    private readonly spec: ServerSpec,
    private readonly root: string,
    private readonly tmpRoot: string,
  ) {
    this.id = spec.id;
    this.label = spec.label;
    this.persists = spec.persists;
    this.durableAck = spec.durableAck;
  }

  async start(): Promise<void> {
    if (this.group) await this.stop();
    await this.withRetry("start", async () => {
      this.stateDir = mkdtempSync(join(this.tmpRoot, `${this.id}-`));
      this.dirs.push(this.stateDir);
      this.port = await freePort();
      await this.launch();
    });
  }

  /** Starts again on the same port and state directory (after stop or kill9). */
  async restart(): Promise<void> {
    if (this.group) await this.stop();
    await this.withRetry("restart", () => this.launch());
  }

  /**
   * A server that does not come up is tried once more (on a busy machine one exited
   * before answering, and took the whole run with it). Each failed attempt's log is
   * kept through `keepLog`; a recovered failure is noted, a second one thrown.
   */
  private async withRetry(what: string, attempt: () => Promise<void>): Promise<void> {
    let first: { message: string; kept: KeptLog | null } | null = null;
    for (let n = 1; n <= 2; n++) {
      try {
        await attempt();
        if (first)
          this.notes.push(
            `${this.workload}: ${what} failed once (${first.message}), the retry worked${first.kept ? `; log ${first.kept.log}` : ""}`,
          );
        return;
      } catch (err) {
        const message = (err as Error).message;
        const kept = this.keepLog(this.logFile, `${what}-${n}`);
        if (first) throw new StartError(`${message} (tried twice; first: ${first.message})`, [first.kept, kept]);
        first = { message, kept };
      }
    }
  }

  private async launch(): Promise<void> {
    const { cmd, args, env } = this.spec.launch(this.port, this.stateDir);
    this.logFile = `${this.stateDir}.log`;
    this.group = spawnGroup(cmd, args, { cwd: this.root, env: { ...env, ...this.env }, logFile: this.logFile });
    try {
      await waitForHttp(`http://127.0.0.1:${this.port}${this.spec.healthPath}`, this.spec.startTimeoutMs, this.group.exited);
    } catch (err) {
      await this.kill9();
      throw new Error(`${this.label} did not start: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (!this.group) return;
    await stopGroup(this.group.pgid);
    this.group = null;
  }

  async kill9(): Promise<void> {
    if (!this.group) return;
    await killGroup(this.group.pgid);
    this.group = null;
  }

  rss(): number {
    return this.group ? groupRss(this.group.pgid) : 0;
  }

  rssByCommand(): Record<string, number> {
    return this.group ? groupRssByCommand(this.group.pgid) : {};
  }

  /** The environment that turns the server's meter on ({} if it has none). */
  meterEnv(): Record<string, string> {
    return this.spec.meter?.env ?? {};
  }

  /** Reads the opt-in meter's counts after a run (Quire only; null elsewhere). */
  readMeter(room: Room): Promise<MeterCounts | null> {
    return this.spec.meter ? this.spec.meter.read(room, this.logFile) : Promise.resolve(null);
  }

  /** Process group of the running server (0 when stopped). */
  pgid(): number {
    return this.group?.pgid ?? 0;
  }

  cpu(): Map<string, number> {
    return this.group ? groupCpu(this.group.pgid) : new Map();
  }

  createRoom(name: string): Promise<Room> {
    const host = `127.0.0.1:${this.port}`;
    const deflate = this.spec.clientDeflate ?? true;
    return this.spec
      .createRoom({ http: `http://${host}`, ws: `ws://${host}` }, name)
      .then((room) => ({ ...room, opts: { deflate, ...room.opts } }));
  }

  /** Deletes every state directory this server used (after the run). */
  cleanup(): void {
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
