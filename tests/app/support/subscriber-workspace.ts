import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createAppContext, type AppContext } from '../../../src/app/context.ts';
import { createSubscriberServiceFromContext } from '../../../src/app/subscribers/create-subscriber-service-from-context.ts';
import type { SubscriberService } from '../../../src/app/subscribers/subscriber-service.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createSilentLogger } from '../../../src/core/logger.ts';
import { runCli } from '../../helpers/cli-run.ts';
import type { SinkMessage } from '../../delivery/support/smtp-sink.ts';

export const SECRET = 'subscriber-test-secret-0123456789';
const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../../templates');

export interface Person {
  email: string;
  name?: string;
  newsletters: string[];
  categories?: string[];
  locale?: string;
  firstName?: string;
  languages?: string[];
}

/**
 * A project folder for the subscriber pages: `daily` (technology + science, signup and
 * public archive on) and `weekly` (science only, closed), a folder source whose
 * articles each test adds per slot, subscribers in YAML, SMTP through `${SMTP_URL}`.
 * The CLI and the service share the SQLite file, as the web server and cron would.
 */
export function createSubscriberWorkspace(
  dir: string,
  people: Person[],
  options: { maxConnections?: number; returnPath?: string; languages?: 'any' | 'subscriber' | 'strict' } = {},
) {
  mkdirSync(path.join(dir, 'articles'));
  mkdirSync(path.join(dir, 'subscribers'));
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    configFile,
    `store:
  path: data/tidings.db
categories:
  technology:
    title: Technology
  science:
    title: Science
sources:
  - name: desk
    type: folder
    path: articles
newsletters:
  - id: daily
    title: Test Daily
    categories: [technology, science]
    window: 24h
    minArticles: 1
    from: "Test Daily <digest@news.example.org>"
    timezone: UTC
    # Readers here choose German or Russian pages for English stories: every language goes to everyone.
    languages: ${options.languages ?? 'any'}
    signup: true
    public: true
  - id: weekly
    title: Test Weekly
    categories: [science]
    window: 24h
    minArticles: 1
    from: "Test Weekly <weekly@news.example.org>"
    timezone: UTC
    languages: ${options.languages ?? 'any'}
subscribers:
  paths: [subscribers]
transport:
  type: smtp
  url: \${SMTP_URL}
  maxConnections: ${options.maxConnections ?? 2}
  rateLimit: 1000
${options.returnPath ? `  returnPath: ${options.returnPath}\n` : ''}web:
  baseUrl: https://news.example.org
  secret: ${SECRET}
  unsubscribeMailto: unsubscribe@news.example.org
`,
  );
  const writePeople = (list: Person[]) =>
    writeFileSync(
      path.join(dir, 'subscribers', 'list.yaml'),
      `subscribers:\n${list
        .map(
          (p) =>
            `  - email: ${p.email}\n    name: ${p.name ?? 'Reader'}\n    newsletters: [${p.newsletters.join(', ')}]\n` +
            (p.categories ? `    categories: [${p.categories.join(', ')}]\n` : '') +
            (p.locale ? `    locale: ${p.locale}\n` : '') +
            (p.firstName ? `    firstName: ${p.firstName}\n` : '') +
            (p.languages ? `    languages: [${p.languages.join(', ')}]\n` : ''),
        )
        .join('')}`,
    );
  writePeople(people);
  let articles = 0;
  const open: AppContext[] = [];
  return {
    dir,
    configFile,
    writePeople,
    /** One article per category, published an hour before `slot`; returns their titles. */
    addArticles(slot: string): { technology: string; science: string } {
      const published = new Date(new Date(slot).getTime() - 3_600_000).toISOString();
      const titles = { technology: '', science: '' };
      for (const category of ['technology', 'science'] as const) {
        const n = ++articles;
        const title =
          category === 'technology'
            ? `Compiler release ${n} halves build times`
            : `Telescope survey ${n} maps distant galaxies`;
        titles[category] = title;
        writeFileSync(
          path.join(dir, 'articles', `story-${n}.md`),
          `---\ntitle: ${title}\nurl: https://desk.example.com/story-${n}\ndate: ${published}\ncategories: [${category === 'technology' ? 'Technology' : 'Science'}]\nlanguage: en\n---\n\n` +
            `Researchers published result number ${n} today. The work took three years of careful measurement. ` +
            `The team said the method can be repeated by other groups. Reviewers called the findings solid.\n`,
        );
      }
      return titles;
    },
    cli(args: string[], smtpUrl: string, now: string) {
      return runCli(['-q', '-c', configFile, ...args], { SMTP_URL: smtpUrl }, now);
    },
    /** The service over its own connection to the store, the clock at `now` (movable). */
    service(
      smtpUrl: string,
      now: string,
    ): { service: SubscriberService; clock: ReturnType<typeof createFixedClock>; ctx: AppContext } {
      const clock = createFixedClock(now);
      const loaded = loadConfig(configFile, { SMTP_URL: smtpUrl });
      const ctx = createAppContext({
        loaded,
        clock,
        logger: createSilentLogger(),
        env: {},
        out: () => {},
        err: () => {},
        interactive: false,
        stdout: process.stdout,
        templatesDir: TEMPLATES_DIR,
      });
      open.push(ctx);
      return { service: createSubscriberServiceFromContext(ctx), clock, ctx };
    },
    close() {
      for (const ctx of open.splice(0)) ctx.close();
    },
  };
}

export type SubscriberWorkspace = ReturnType<typeof createSubscriberWorkspace>;

/** The tokens of one sent message: from List-Unsubscribe (https and mailto) and the preferences link in the body. */
export async function linksOf(message: SinkMessage): Promise<{
  unsubscribe: string;
  mailtoSubject: string | null;
  preferences: string;
  parsed: ParsedMail;
  raw: string;
}> {
  const raw = message.raw.toString('latin1');
  const parsed = await simpleParser(message.raw);
  const unsubscribe = /List-Unsubscribe: <https:\/\/news\.example\.org\/u\/([^>]+)>/.exec(raw)?.[1];
  const mailto = /<mailto:unsubscribe@news\.example\.org\?subject=([^>]+)>/.exec(raw)?.[1] ?? null;
  const preferences = /https:\/\/news\.example\.org\/p\/([A-Za-z0-9_.-]+)/.exec(parsed.text ?? '')?.[1];
  if (!unsubscribe || !preferences) throw new Error(`no subscriber links in the message to ${message.to.join(', ')}`);
  return { unsubscribe, mailtoSubject: mailto, preferences, parsed, raw };
}

export function messagesTo(messages: SinkMessage[], email: string): SinkMessage[] {
  return messages.filter((m) => m.to.includes(email));
}
