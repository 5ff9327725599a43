import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { appOperations } from '../../../src/app/app-operations.ts';
import { createSchedulerWorkspace, type SchedulerWorkspace } from './scheduler-workspace.ts';

/** One message as a reader's mailbox saw it: which stream and slot (from Feedback-ID) and which stories. */
export interface Received {
  to: string;
  stream: string;
  /** The slot as Feedback-ID carries it: `2026-10-19T0700`. */
  slot: string;
  stories: number[];
}

/** A real SMTP server on 127.0.0.1 that parses every message with mailparser. */
export async function startStorySink(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const mail = await simpleParser(Buffer.concat(chunks));
        const feedback = String(mail.headers.get('feedback-id') ?? '');
        const [slot = '', stream = ''] = feedback.split(':');
        const stories = [
          ...new Set([...(mail.text ?? '').matchAll(/desk\.example\.com\/story-(\d+)/g)].map((m) => Number(m[1]))),
        ];
        for (const to of session.envelope.rcptTo) received.push({ to: to.address, stream, slot, stories });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TOPICS = [
  'harbour',
  'orchard',
  'glacier',
  'railway',
  'library',
  'vineyard',
  'observatory',
  'bakery',
  'lighthouse',
  'meadow',
  'quarry',
  'canal',
  'festival',
  'museum',
  'bridge',
  'reservoir',
];
const VERBS = ['reopens', 'expands', 'delays', 'celebrates', 'rebuilds', 'closes', 'welcomes', 'measures'];

/** Articles every `everyHours` between two instants, each about something else (no two cluster as one story). */
export function writeStories(dir: string, from: string, to: string, everyHours: number): number {
  let n = 0;
  for (let at = Date.parse(from); at <= Date.parse(to); at += everyHours * 3_600_000) {
    n += 1;
    const topic = TOPICS[n % TOPICS.length]!;
    const verb = VERBS[Math.floor(n / TOPICS.length) % VERBS.length]!;
    const place = `district ${n * 7919}`;
    writeFileSync(
      path.join(dir, 'articles', `story-${n}.md`),
      `---\ntitle: The ${topic} of ${place} ${verb} (report ${n})\nurl: https://desk.example.com/story-${n}\n` +
        `date: ${new Date(at).toISOString()}\ncategories: [Technology]\nlanguage: en\n---\n\n` +
        `Residents of ${place} learned on day ${n} that the ${topic} ${verb}. Council member number ${n * 13} ` +
        `explained the ${topic} plan in detail. Report ${n} follows the ${topic} story closely.\n`,
    );
  }
  return n;
}

export interface CadenceReader {
  email: string;
  cadence: string;
}

/** A project offering daily, weekly and monthly from one newsletter, sending over SMTP on a fake clock. */
export async function createCadenceWorkspace(
  dir: string,
  options: { start: string; smtpPort: number; readers: CadenceReader[]; storeUrl?: string },
): Promise<SchedulerWorkspace> {
  const ws = await createSchedulerWorkspace(dir, {
    start: options.start,
    readers: [],
    newsletterYaml: `    timezone: Europe/Berlin
    schedule: "0 7 * * *"
    maxArticles: 3
    perCategory: 3
    prepareAhead: 1h
    catchUp: 2h
    cadences:
      - daily
      - { name: weekly, maxArticles: 8, perCategory: 8 }
      - { name: monthly, maxArticles: 10, perCategory: 10 }
`,
    transportYaml: `transport:\n  type: smtp\n  url: smtp://127.0.0.1:${options.smtpPort}\n  rateLimit: 1000\n  maxConnections: 2\n`,
  });
  writeFileSync(path.join(dir, 'subscribers', 'list.yaml'), 'subscribers: []\n');
  if (options.storeUrl) {
    const config = readFileSync(ws.configFile, 'utf8');
    writeFileSync(
      ws.configFile,
      config.replace('store:\n  path: data/tidings.db', `store:\n  url: ${options.storeUrl}`),
    );
  }
  writeFileSync(
    path.join(dir, 'subscribers', 'list.csv'),
    ['email,newsletters,cadence', ...options.readers.map((r) => `${r.email},daily,${r.cadence}`)].join('\n'),
  );
  await ws.restart();
  return ws;
}

/** A reader's change of cadence through the app operation the preferences page uses. */
export async function changeCadence(ws: SchedulerWorkspace, email: string, cadence: string) {
  const subscriber = (await ws.ctx.store.subscribers.findByEmail(email))!;
  return appOperations(ws.ctx).changeCadence(subscriber.id, 'daily', cadence, ws.clock.now());
}
