/**
 * A server process the bench owns: started detached in its own process group on a
 * free loopback port, with its own temporary state directory, health-checked before
 * use and always stopped (see lib/proc.ts cleanup).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, groupCpu, groupRss, groupRssByCommand, killGroup, spawnGroup, stopGroup, waitForHttp, type Group } from "../lib/proc";
import type { BenchServer, Room, ServerId } from "./types";

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
  createRoom(base: { http: string; ws: string }, name: string): Promise<Room>;
}

export class ManagedServer implements BenchServer {
  readonly id: ServerId;
  readonly label: string;
  readonly persists: boolean;
  readonly durableAck: boolean;
  stateDir = "";
  port = 0;
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
    this.stateDir = mkdtempSync(join(this.tmpRoot, `${this.id}-`));
    this.dirs.push(this.stateDir);
    this.port = await freePort();
    await this.launch();
  }

  async restart(): Promise<void> {
    if (this.group) await this.stop();
    await this.launch();
  }

  private async launch(): Promise<void> {
    const { cmd, args, env } = this.spec.launch(this.port, this.stateDir);
    this.group = spawnGroup(cmd, args, { cwd: this.root, env, logFile: `${this.stateDir}.log` });
    try {
      await waitForHttp(`http://127.0.0.1:${this.port}${this.spec.healthPath}`, this.spec.startTimeoutMs, this.group.exited);
    } catch (err) {
      await this.kill9();
      throw new Error(`${this.label} did not start (log: ${this.stateDir}.log): ${(err as Error).message}`);
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
