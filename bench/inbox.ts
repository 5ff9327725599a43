/**
 * Inbox placement: how SpamAssassin scores the example configuration's digest.
 *   npm run bench -- inbox
 * Installs nothing and configures nothing: without a `spamassassin` on PATH it prints
 * "skipped" and exits 0. It copies the repository's tidings.config.yaml, samples/ and
 * subscribers/ into a temp folder, runs the real CLI (`tidings run`, outbox transport)
 * and pipes each `.eml` through `spamassassin -L -t` (local tests only: no DNS, no
 * network checks). The baseline is the first message with its list headers (List-*,
 * Precedence, Feedback-ID) stripped, scored in the same run, so the figure shows what
 * those headers earn. Goal (issue 12): ≤ −1.0 and no rule with a positive score, not
 * counting ALL_TRUSTED (which only loopback delivery through Postfix adds).
 * Through a real Postfix as well: `npm run bench -- inbox --postfix-maildir <Maildir>
 * [--postfix-to bench@inbox.test]` sends the same edition over SMTP to the Postfix on
 * 127.0.0.1:25 (set up as docs/operations.md, "Inbox benchmark", says; this script sets up
 * nothing), waits for the message in that Maildir and scores what Postfix delivered.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOAL = -1.0;
/** Rules that say nothing about the message itself. */
const IGNORED_RULES = new Set(['ALL_TRUSTED']);
/** SpamAssassin's informational rules score ±0.001 (HTML_MESSAGE fires on any HTML part). */
const INFORMATIONAL = 0.001;
/** Headers a bulk sender adds for mailbox providers; the baseline goes without them. */
const LIST_HEADERS = /^(list-[a-z-]+|precedence|feedback-id):/i;

interface Verdict {
  score: number;
  rules: { name: string; score: number }[];
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Scores one message; the rule list comes from a header template, exact to 3 decimals. */
function score(message: string): Verdict {
  const run = spawnSync(
    'spamassassin',
    ['-L', '-t', '--cf=add_header all BenchRules _TESTSSCORES(,)_', '--cf=add_header all BenchScore _SCORE_'],
    {
      input: message,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.status !== 0)
    throw new Error(
      `spamassassin exited ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  const headers = run.stdout.slice(0, run.stdout.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const scoreLine = /^X-Spam-BenchScore: *(-?[\d.]+)/m.exec(headers);
  const rulesLine = /^X-Spam-BenchRules: *(.*)$/m.exec(headers);
  if (!scoreLine) throw new Error('spamassassin gave no score header');
  const rules = (rulesLine?.[1] ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair && pair !== 'none')
    .map((pair) => {
      const [name, value] = pair.split('=');
      return { name: name!, score: Number(value) };
    });
  // _SCORE_ is rounded to one decimal; the sum of the rules is exact to 0.001.
  const exact = Math.round(rules.reduce((sum, rule) => sum + rule.score, 0) * 1000) / 1000;
  return { score: rules.length ? exact : Number(scoreLine[1]), rules };
}

/** Removes the list headers (with their folded continuation lines) from the header block. */
function stripListHeaders(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  const lines = message.slice(0, end).split(/\r?\n/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    dropping = LIST_HEADERS.test(line);
    if (!dropping) kept.push(line);
  }
  return kept.join('\r\n') + message.slice(end);
}

function formatRules(verdict: Verdict): string {
  return verdict.rules.map((r) => `${r.name}=${r.score}`).join(' ') || '(none)';
}

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function copyExample(dir: string): void {
  for (const item of ['tidings.config.yaml', 'samples', 'subscribers'])
    cpSync(path.join(root, item), path.join(dir, item), { recursive: true });
}

function runTidings(dir: string): void {
  const run = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli/entry.ts'), '--quiet', 'run'],
    {
      cwd: dir,
      encoding: 'utf8',
      // tsx resolved from here: the temp folder has no node_modules. The example's defaults: no secret (a random one is created), the local base URL.
      env: { ...process.env, TIDINGS_SECRET: '', TIDINGS_BASE_URL: '' },
    },
  );
  if (run.status !== 0)
    throw new Error(`tidings run exited ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
}

function buildEdition(dir: string): string[] {
  copyExample(dir);
  runTidings(dir);
  const outbox = path.join(dir, 'outbox');
  return readdirSync(outbox, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.eml') && !file.includes('-test'))
    .sort()
    .map((file) => path.join(outbox, file));
}

/**
 * The example configuration, unchanged but for the transport (SMTP to the local Postfix)
 * and one subscriber at `to`; returns the message Postfix delivered to `maildir`.
 */
async function sendThroughPostfix(dir: string, maildir: string, to: string): Promise<string> {
  copyExample(dir);
  const configFile = path.join(dir, 'tidings.config.yaml');
  const config = parseDocument(readFileSync(configFile, 'utf8'));
  config.set('transport', { type: 'smtp', url: 'smtp://127.0.0.1:25' });
  writeFileSync(configFile, config.toString());
  rmSync(path.join(dir, 'subscribers'), { recursive: true });
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(
    path.join(dir, 'subscribers/example.csv'),
    `email,name,newsletters,categories,locale,timezone,status\n${to},Robin Bench,daily,,en,Europe/London,active\n`,
  );
  const inbox = path.join(maildir, 'new');
  const before = new Set(existsSync(inbox) ? readdirSync(inbox) : []);
  runTidings(dir);
  for (let waited = 0; waited < 30_000; waited += 250) {
    const arrived = readdirSync(inbox).filter((file) => !before.has(file));
    if (arrived.length) return readFileSync(path.join(inbox, arrived[0]!), 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`nothing arrived in ${inbox} within 30 s: is Postfix running and delivering ${to} there?`);
}

if (!hasCommand('spamassassin')) {
  console.log('skipped: needs spamassassin (see docs/operations.md, "Inbox benchmark")');
  process.exit(0);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-inbox-'));
try {
  const files = buildEdition(dir);
  if (!files.length) throw new Error('the example configuration produced no message');
  console.log(`scoring ${files.length} messages with spamassassin -L -t (local tests only)`);

  const first = readFileSync(files[0]!, 'utf8');
  const baseline = score(stripListHeaders(first));
  console.log(
    `baseline (first message without List-*/Precedence/Feedback-ID): score ${baseline.score.toFixed(3)}  ${formatRules(baseline)}`,
  );

  let worst = -Infinity;
  const positive = new Set<string>();
  for (const file of files) {
    const verdict = score(readFileSync(file, 'utf8'));
    worst = Math.max(worst, verdict.score);
    for (const rule of verdict.rules) {
      if (rule.score > INFORMATIONAL && !IGNORED_RULES.has(rule.name)) positive.add(`${rule.name}=${rule.score}`);
    }
    console.log(
      `${path.basename(file).padEnd(28)} score ${verdict.score.toFixed(3)}  (${(verdict.score - baseline.score).toFixed(3)} vs baseline)  ${formatRules(verdict)}`,
    );
  }
  console.log(
    `worst score ${worst.toFixed(3)} (goal ≤ ${GOAL.toFixed(1)}); rules scoring above the informational 0.001: ${[...positive].join(' ') || 'none'}`,
  );

  const maildir = argValue('--postfix-maildir') ?? process.env.TIDINGS_BENCH_POSTFIX_MAILDIR;
  if (maildir) {
    const delivered = await sendThroughPostfix(
      mkdtempSync(path.join(os.tmpdir(), 'tidings-inbox-postfix-')),
      maildir,
      argValue('--postfix-to') ?? 'bench@inbox.test',
    );
    const viaPostfix = score(delivered);
    const ignored = viaPostfix.rules
      .filter((rule) => IGNORED_RULES.has(rule.name))
      .reduce((sum, rule) => sum + rule.score, 0);
    const positiveRules = viaPostfix.rules.filter(
      (rule) => rule.score > INFORMATIONAL && !IGNORED_RULES.has(rule.name),
    );
    console.log(
      `through Postfix: score ${viaPostfix.score.toFixed(3)}, ${(viaPostfix.score - ignored).toFixed(3)} without ${[...IGNORED_RULES].join(', ')}  ${formatRules(viaPostfix)}`,
    );
    console.log(
      `rules scoring above the informational 0.001 through Postfix: ${positiveRules.map((r) => `${r.name}=${r.score}`).join(' ') || 'none'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
