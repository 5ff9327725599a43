import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext, type AppContext } from '../../../src/app/context.ts';
import { appOperations } from '../../../src/app/app-operations.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { openStore } from '../../../src/store/open-store.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createLogger, type Logger } from '../../../src/core/logger.ts';
import { editionFolderName } from '../../../src/delivery/outbox-transport.ts';
import { runSubscribersSync, subscribersCommandContext } from '../../../src/cli/commands/subscribers.ts';
import type { Scheduler, TickReport } from '../../../src/schedule/scheduler.ts';

export const SECRET = 'schedule-test-secret-0123456789';
const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates', import.meta.url));

export interface Reader {
  email: string;
  timezone?: string;
}

export interface SchedulerWorkspace {
  dir: string;
  configFile: string;
  clock: ReturnType<typeof createFixedClock>;
  ctx: AppContext;
  scheduler: Scheduler;
  /** Ticks every `stepMs` from the clock's time up to `until` (inclusive); returns every report. */
  runUntil(until: string, stepMs?: number): Promise<TickReport[]>;
  /** Articles published every `everyHours` between two instants, written to the folder source. */
  addArticles(from: string, to: string, everyHours?: number): void;
  /** .eml files the outbox holds for an edition (subscribers and editors). */
  outboxFiles(editionId: string): string[];
  /** A fresh context and scheduler on the same files (a restart). */
  restart(): Promise<void>;
  close(): void;
}

/**
 * A project on disk for scheduler tests: a folder source, subscribers in YAML, the
 * outbox transport, a real SQLite file, and a clock the test moves. `newsletterYaml` is
 * the newsletter entry after `- id: daily` (indented by four spaces).
 */
export async function createSchedulerWorkspace(
  dir: string,
  options: {
    newsletterYaml: string;
    readers: Reader[];
    extraYaml?: string;
    start: string;
    transportYaml?: string;
    logger?: Logger;
  },
): Promise<SchedulerWorkspace> {
  mkdirSync(path.join(dir, 'articles'), { recursive: true });
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  writeFileSync(
    path.join(dir, 'subscribers', 'list.yaml'),
    `subscribers:\n${options.readers.map((r, i) => `  - email: ${r.email}\n    name: Reader ${i + 1}\n${r.timezone ? `    timezone: ${r.timezone}\n` : ''}    newsletters: [daily]\n`).join('')}`,
  );
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    configFile,
    `store:
  path: data/tidings.db
categories:
  technology:
    title: Technology
sources:
  - name: desk
    type: folder
    path: articles
    every: 1d
newsletters:
  - id: daily
    title: Test Daily
    categories: [technology]
${options.newsletterYaml.includes('minArticles') ? '' : '    minArticles: 1\n'}    from: "Test Daily <digest@news.example.org>"
${options.newsletterYaml}subscribers:
  paths: [subscribers]
${options.transportYaml ?? 'transport:\n  type: outbox\n  dir: outbox\n'}delivery:
  maxLateness: 3h
web:
  baseUrl: https://news.example.org
  secret: ${SECRET}
${options.extraYaml ?? ''}`,
  );
  const clock = createFixedClock(options.start);
  let articleCount = 0;
  const open = async () => {
    const loaded = loadConfig(configFile, {});
    // A config naming PostgreSQL (store.url) gets its store opened here, as the CLI does.
    const store = loaded.config.store.url
      ? await openStore(loaded.config.store, (p) => path.resolve(dir, p))
      : undefined;
    const ctx = createAppContext({
      loaded,
      store,
      clock,
      logger: options.logger ?? createLogger({ level: process.env.DEBUG_SCHED ? 'debug' : 'silent' }),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      templatesDir: TEMPLATES_DIR,
    });
    return { ctx, scheduler: appOperations(ctx).schedulerProcess.createScheduler() };
  };
  const openSynced = async () => {
    const opened = await open();
    await runSubscribersSync(subscribersCommandContext(opened.ctx), { skipInvalid: true });
    return opened;
  };
  const workspace: SchedulerWorkspace = {
    dir,
    configFile,
    clock,
    ...(await openSynced()),
    async runUntil(until, stepMs = 15 * 60_000) {
      const reports: TickReport[] = [];
      const end = new Date(until).getTime();
      for (;;) {
        reports.push(await workspace.scheduler.tick(clock.now()));
        if (clock.now().getTime() + stepMs > end) break;
        clock.advance(stepMs);
      }
      return reports;
    },
    addArticles(from, to, everyHours = 6) {
      for (let at = new Date(from).getTime(); at <= new Date(to).getTime(); at += everyHours * 3_600_000) {
        const n = ++articleCount;
        writeFileSync(
          path.join(dir, 'articles', `story-${n}.md`),
          `---\ntitle: Story ${n} about a faster compiler\nurl: https://desk.example.com/story-${n}\ndate: ${new Date(at).toISOString()}\ncategories: [Technology]\nlanguage: en\n---\n\n` +
            `Engineers released compiler version ${n} today. It builds large projects in half the time of the previous release. ` +
            `The team said the speed came from caching work between runs.\n`,
        );
      }
    },
    outboxFiles(editionId) {
      const folder = path.join(dir, 'outbox', editionFolderName(editionId));
      return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.eml')) : [];
    },
    async restart() {
      workspace.ctx.close();
      Object.assign(workspace, await openSynced());
    },
    close() {
      workspace.ctx.close();
    },
  };
  return workspace;
}
