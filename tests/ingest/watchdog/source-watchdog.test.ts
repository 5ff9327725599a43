import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../../src/app/source-health.ts';
import { startFixtureServer } from '../../helpers/http-fixture-server.ts';
import { runCli } from '../../helpers/cli-run.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';

/**
 * Five feeds on a local server, ingested every 6 hours for six days by the real CLI on a
 * fixed clock, all alike; then each changes as a real source does: one stops, one repeats
 * old stories under new links, one falls to short excerpts, one's text shrinks, and one
 * goes on as before (the control, which must raise nothing).
 */
const START = Date.parse('2026-11-01T00:00:00Z');
const SIX_HOURS = 6 * 3_600_000;
const WORDS = 'harbour board dredging channel pontoon berth ferry timetable breakwater lighthouse tide'.split(' ');
const text = (seed: number, chars: number) => {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${WORDS[(seed * 7 + i) % WORDS.length]} `;
  return `${out.trim()}.`;
};

type Item = { guid: string; title: string; at: number; chars: number };
const rss = (name: string, base: string, items: readonly Item[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>${base}/</link><description>d</description>${items
    .slice(-15)
    .map(
      (item) =>
        `<item><title>${item.title}</title><link>${base}/${item.guid}</link><guid>${item.guid}</guid>` +
        `<pubDate>${new Date(item.at).toUTCString()}</pubDate><description>${text(item.at / SIX_HOURS, item.chars)}</description></item>`,
    )
    .join('')}</channel></rss>`;

const KINDS = ['steady', 'stops', 'repeats', 'excerpts', 'shrinks'] as const;

describe('source watchdog: a feed that stops, repeats, degrades or shrinks is named; a steady one is not', () => {
  const tempDir = useTempDir();
  const feeds = new Map<string, Item[]>(KINDS.map((kind) => [kind, []]));
  let server: Awaited<ReturnType<typeof startFixtureServer>>;

  beforeAll(async () => {
    server = await startFixtureServer(
      Object.fromEntries(
        KINDS.map((kind) => [
          `/${kind}.xml`,
          (_q, r) =>
            r
              .writeHead(200, { 'content-type': 'application/rss+xml' })
              .end(rss(kind, server.url(`/${kind}`), feeds.get(kind)!)),
        ]),
      ),
    );
  });
  afterAll(async () => server.close());

  /** What each source publishes at slot `n` (every 6 hours) once it has changed, from slot `turn`. */
  function publish(n: number, turn: number): void {
    const at = START + n * SIX_HOURS;
    for (const kind of KINDS) {
      const items = feeds.get(kind)!;
      const normal = { guid: `${kind}-${n}`, title: `${kind} story ${n}`, at, chars: 2_000 };
      if (n < turn || kind === 'steady') items.push(normal);
      else if (kind === 'repeats')
        items.push({ ...normal, guid: `${kind}-again-${n}`, title: `${kind} story ${n - turn}` });
      else if (kind === 'excerpts') items.push({ ...normal, chars: 200 });
      else if (kind === 'shrinks') items.push({ ...normal, chars: 800 });
      // 'stops' publishes nothing from the turn on.
    }
  }

  it('learns the rhythm, then warns in tidings sources, status and --strict, naming what changed', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    const sources = KINDS.map(
      (kind) => `  - { name: ${kind}, type: feed, url: "${server.url(`/${kind}.xml`)}", fullText: never }`,
    );
    writeFileSync(
      config,
      `store: { path: data/t.db }\nfetch: { allowPrivateNetworks: true }\nsources:\n${sources.join('\n')}\n`,
    );
    const turn = 24; // six days of normal items, then the change
    const last = turn + 8; // two days of it
    for (let n = 0; n <= last; n++) {
      publish(n, turn);
      const at = new Date(START + n * SIX_HOURS + 60_000).toISOString();
      const ingest = await runCli(['-q', '-c', config, 'ingest'], {}, at);
      expect(ingest.code, ingest.out + ingest.err).toBe(0);
      if (n === turn - 1) {
        const before = JSON.parse(
          (await runCli(['-q', '-c', config, 'sources', '--json'], {}, at)).out,
        ) as SourceHealth[];
        expect(before.flatMap((s) => s.warnings)).toEqual([]);
        expect(before[0]!.rhythm).toMatchObject({ learning: false, usualGapMs: SIX_HOURS, perDay: 4 });
      }
    }
    const now = new Date(START + last * SIX_HOURS + 120_000).toISOString();
    const health = JSON.parse((await runCli(['-q', '-c', config, 'sources', '--json'], {}, now)).out) as SourceHealth[];
    const kinds = Object.fromEntries(health.map((s) => [s.name, s.warnings.map((w) => w.kind)]));
    expect(kinds).toEqual({
      steady: [],
      stops: ['quiet'],
      repeats: ['repeats'],
      excerpts: ['excerpts'],
      shrinks: ['shrunk'],
    });
    const stops = health.find((s) => s.name === 'stops')!.warnings[0]!;
    expect(stops.message).toBe('stops: nothing new for 2 days; it usually brings an item every 6 h');

    const text = await runCli(['-q', '-c', config, 'sources', '--strict'], {}, now);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^steady \(feed\) {2}ok 2026-11-09T00:01:00.000Z\n {4}4\/day, usually every 6 h/m);
    expect(text.out).toMatch(/warning: excerpts: its last items are excerpts \(median 2\d\d characters\)/);
    const status = await runCli(['-q', '-c', config, 'status'], {}, now);
    expect(status.out).toContain('source warnings (tidings sources):');
    expect(status.out).toContain('shrinks: extracted text shrank to a median of');
  }, 120_000);
});
