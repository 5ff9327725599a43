import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../helpers/cli-run.ts';

export const CLI_SECRET = 'cli-test-secret-0123456789abcdef';

/**
 * A project folder for running the real CLI against an SMTP sink: one `daily`
 * newsletter (UTC), a folder source whose articles the test adds per edition,
 * subscribers in YAML, `transport: smtp` with `${SMTP_URL}` and a DKIM key file.
 */
export interface CliWorkspace {
  dir: string;
  configFile: string;
  /** The DKIM public key as it goes into the DNS TXT record (`p=`). */
  dkimPublicKey: string;
  /** Three new articles published an hour before `slot`, enough for one edition. */
  addArticles(slot: string, count?: number): void;
  /** Runs `tidings -c <config> ...args` in-process with SMTP_URL pointing at `smtpUrl`, the clock at `now`. */
  cli(args: string[], options: { smtpUrl: string; now: string }): Promise<{ code: number; out: string; err: string }>;
}

export function createCliWorkspace(
  dir: string,
  options: {
    subscribers: string[];
    delivery?: Record<string, unknown>;
    maxConnections?: number;
    transport?: Record<string, unknown>;
  },
): CliWorkspace {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(dir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const dkimPublicKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  mkdirSync(path.join(dir, 'articles'));
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(
    path.join(dir, 'subscribers', 'list.yaml'),
    `subscribers:\n${options.subscribers.map((email, i) => `  - email: ${email}\n    name: Reader ${i + 1}\n    newsletters: [daily]\n`).join('')}`,
  );
  const delivery = Object.entries(options.delivery ?? {})
    .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`)
    .join('');
  const transportExtras = Object.entries(options.transport ?? {})
    .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`)
    .join('');
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
newsletters:
  - id: daily
    title: Test Daily
    categories: [technology]
    window: 24h
    minArticles: 2
    from: "Test Daily <digest@news.example.org>"
    # Tests give readers other locales for English stories: every language goes to everyone.
    languages: any
    timezone: UTC
subscribers:
  paths: [subscribers]
transport:
  type: smtp
  url: \${SMTP_URL}
  maxConnections: ${options.maxConnections ?? 2}
  rateLimit: 1000
${transportExtras}  dkim:
    domain: news.example.org
    selector: s1
    keyFile: dkim.pem
${delivery ? `delivery:\n${delivery}` : ''}web:
  baseUrl: https://news.example.org
  secret: ${CLI_SECRET}
`,
  );
  let articleCount = 0;
  return {
    dir,
    configFile,
    dkimPublicKey,
    addArticles(slot, count = 3) {
      const published = new Date(new Date(slot).getTime() - 3_600_000).toISOString();
      for (let i = 0; i < count; i++) {
        const n = ++articleCount;
        writeFileSync(
          path.join(dir, 'articles', `story-${n}.md`),
          `---\ntitle: Story ${n} about a faster compiler\nurl: https://desk.example.com/story-${n}\ndate: ${published}\ncategories: [Technology]\nlanguage: en\n---\n\n` +
            `Engineers released compiler version ${n} today. It builds large projects in half the time of the previous release. ` +
            `The team said the speed came from caching work between runs. Users reported fewer crashes in early tests.\n`,
        );
      }
    },
    cli(args, { smtpUrl, now }) {
      return runCli(['-q', '-c', configFile, ...args], { SMTP_URL: smtpUrl }, now);
    },
  };
}
