import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { createCliWorkspace, type CliWorkspace } from '../../delivery/support/cli-workspace.ts';
import type { SmtpSink } from '../../delivery/support/smtp-sink.ts';
import { tidingsProcessArgs } from '../../helpers/cli-process.ts';
import { openMigratedTestDatabase } from '../../helpers/postgres.ts';

export interface Exited {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  exited: Promise<Exited>;
}

export interface QueueState {
  status: string;
  audienceMax: number | null;
  audienceTotal: number | null;
  queuedThrough: number;
  heldBy: string | null;
  rows: number;
  pending: number;
}

/**
 * A project on a PostgreSQL database of its own, driven like ops drive it: `tidings send`
 * and `tidings worker` as child processes (from the sources), `status` and the rest in
 * this process, one `daily` newsletter (UTC) for `readers` readers and an SMTP sink.
 */
export interface PgCliProject {
  ws: CliWorkspace;
  db: PgDatabase;
  url: string;
  readers: string[];
  slot: string;
  editionId: string;
  /** Runs the CLI in this process with the real clock. */
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** Starts the CLI as a child process; killed with SIGKILL at cleanup if still running. */
  spawn(args: string[]): Spawned;
  state(): Promise<QueueState>;
  /** `tidings status --json`'s entry for the edition. */
  status(): Promise<Record<string, unknown>>;
  /** Polls every 5 ms until `check` is true (or throws after `timeoutMs`). */
  waitFor(what: string, check: (state: QueueState) => boolean, timeoutMs?: number): Promise<QueueState>;
}

export async function createPgCliProject(
  dir: string,
  cleanups: (() => Promise<unknown> | unknown)[],
  options: { readers: number; sink: SmtpSink; maxConnections?: number; prefix: string },
): Promise<PgCliProject> {
  const { db, url } = await openMigratedTestDatabase(options.prefix, cleanups);
  const readers = Array.from({ length: options.readers }, (_, i) => `reader${i + 1}@example.org`);
  const ws = createCliWorkspace(dir, { subscribers: readers, maxConnections: options.maxConnections ?? 2 });
  // The same project on PostgreSQL, with workers that lease small batches and notice a dead peer within seconds.
  const config = readFileSync(ws.configFile, 'utf8').replace(
    'store:\n  path: data/tidings.db\n',
    `store:\n  url: ${url}\n  poolSize: 4\n`,
  );
  writeFileSync(ws.configFile, `${config}worker:\n  batchSize: 20\n  leaseTtl: 3s\n  idleWait: 100ms\n`);
  const now = new Date();
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const editionId = `daily/${slot.slice(0, 16)}`;
  const cli = (args: string[]) => ws.cli(args, { smtpUrl: options.sink.url, now: new Date().toISOString() });
  ws.addArticles(slot);
  expect((await cli(['ingest'])).code).toBe(0);
  expect((await cli(['subscribers', 'sync'])).code).toBe(0);

  const state = async (): Promise<QueueState> => {
    const { rows } = await db.query<{
      status: string;
      audience_max_id: string | null;
      audience_total: number | null;
      queued_through: string;
      queue_held_by: string | null;
    }>('SELECT status, audience_max_id, audience_total, queued_through, queue_held_by FROM editions WHERE id = $1', [
      editionId,
    ]);
    const counts = await db.query<{ rows: number; pending: number }>(
      `SELECT COUNT(*)::int AS rows, (COUNT(*) FILTER (WHERE status = 'pending'))::int AS pending FROM deliveries WHERE edition_id = $1`,
      [editionId],
    );
    const edition = rows[0];
    return {
      status: edition?.status ?? 'none',
      audienceMax: edition?.audience_max_id == null ? null : Number(edition.audience_max_id),
      audienceTotal: edition?.audience_total ?? null,
      queuedThrough: Number(edition?.queued_through ?? 0),
      heldBy: edition?.queue_held_by ?? null,
      rows: counts.rows[0]!.rows,
      pending: counts.rows[0]!.pending,
    };
  };
  return {
    ws,
    db,
    url,
    readers,
    slot,
    editionId,
    cli,
    spawn(args) {
      const child = spawn(process.execPath, tidingsProcessArgs('-q', '-c', ws.configFile, ...args), {
        env: { ...process.env, SMTP_URL: options.sink.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<Exited>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
      );
      cleanups.push(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      return { child, exited };
    },
    state,
    async status() {
      const { code, out } = await cli(['status', '--json']);
      expect(code).toBe(0);
      return (JSON.parse(out) as { editions: Record<string, unknown>[] }).editions.find(
        (e) => e.edition === editionId,
      )!;
    },
    async waitFor(what, check, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await state();
        if (check(current)) return current;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(current)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

/** Messages the sink accepted, per reader. */
export function messagesPerReader(sink: SmtpSink): Map<string, number> {
  const received = new Map<string, number>();
  for (const message of sink.messages) received.set(message.to[0]!, (received.get(message.to[0]!) ?? 0) + 1);
  return received;
}

/**
 * Every reader has a ledger row (nobody left unqueued); every row but the ambiguous ones
 * (`sending`) is accepted with exactly one message; an ambiguous reader has at most one.
 * Returns the ambiguous readers' addresses.
 */
export async function expectEveryoneOnce(project: PgCliProject, sink: SmtpSink): Promise<string[]> {
  const { rows } = await project.db.query<{ email: string; status: string }>(
    'SELECT s.email, d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.edition_id = $1 ORDER BY d.subscriber_id',
    [project.editionId],
  );
  expect(rows.map((r) => r.email).sort()).toEqual([...project.readers].sort());
  const received = messagesPerReader(sink);
  const ambiguous: string[] = [];
  for (const row of rows) {
    const got = received.get(row.email) ?? 0;
    if (row.status === 'sending') {
      ambiguous.push(row.email);
      expect(got, row.email).toBeLessThanOrEqual(1);
    } else {
      expect([row.email, row.status, got]).toEqual([row.email, 'accepted', 1]);
    }
  }
  expect([...received.keys()].every((email) => project.readers.includes(email))).toBe(true);
  return ambiguous;
}
