/**
 * Feed parser evaluation: item titles and links against a reference parser's output,
 * plus parsing speed.
 *
 *   npx tsx bench/feeds-eval.ts /work/shared/corpus/feeds-dev
 *
 * DIR/feedsmith/{atom,rdf,rss}/X.xml is compared with X.json (feedsmith's output, raw
 * strings as the feed wrote them); DIR/jsonfeed-net/*.json is compared with itself.
 * Reference titles are normalized the way our contract asks for titles (entities
 * decoded, tags stripped, whitespace collapsed) and reference links are resolved
 * against the feed's xml:base / site link, since we promise absolute http(s) URLs.
 * Items without a reference title are left out of the title share (we synthesize one).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { decodeText } from '../src/ingest/decode-text.ts';
import { parseFeed } from '../src/ingest/feed/parse-feed.ts';
import { collapseWhitespace, htmlToText } from '../src/ingest/html-to-text.ts';

interface Expected {
  title: string | null;
  link: string | null;
}
interface Case {
  name: string;
  format: string;
  text: string;
  expected: Expected[];
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx bench/feeds-eval.ts DIR   (e.g. /work/shared/corpus/feeds-dev)');
  process.exit(2);
}

const cases = [...loadFeedsmith(dir), ...loadJsonFeeds(dir)];
let titleEqual = 0;
let titleTotal = 0;
let titleSkipped = 0;
let linkEqual = 0;
let linkTotal = 0;
const mismatches: string[] = [];
const byFormat = new Map<string, { titles: [number, number]; links: [number, number] }>();

for (const test of cases) {
  const stats = byFormat.get(test.format) ?? { titles: [0, 0], links: [0, 0] };
  byFormat.set(test.format, stats);
  let drafts: ReturnType<typeof parseFeed>['drafts'] = [];
  try {
    drafts = parseFeed(test.text, { baseUrl: null }).drafts;
  } catch (error) {
    mismatches.push(`${test.name}: parse failed: ${(error as Error).message}`);
  }
  if (drafts.length !== test.expected.length)
    mismatches.push(`${test.name}: ${drafts.length} items, expected ${test.expected.length}`);
  test.expected.forEach((expected, index) => {
    const draft = drafts[index];
    if (expected.title === null) titleSkipped++;
    else {
      titleTotal++;
      stats.titles[1]++;
      if (draft && draft.title === expected.title) {
        titleEqual++;
        stats.titles[0]++;
      } else
        mismatches.push(
          `${test.name}[${index}] title: got ${JSON.stringify(draft?.title)}, expected ${JSON.stringify(expected.title)}`,
        );
    }
    linkTotal++;
    stats.links[1]++;
    if (draft && draft.url === expected.link) {
      linkEqual++;
      stats.links[0]++;
    } else
      mismatches.push(
        `${test.name}[${index}] link: got ${JSON.stringify(draft?.url)}, expected ${JSON.stringify(expected.link)}`,
      );
  });
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log(`feeds: ${cases.length}, items: ${linkTotal}`);
for (const [format, stats] of byFormat) {
  console.log(
    `  ${format.padEnd(9)} titles ${stats.titles[0]}/${stats.titles[1]}  links ${stats.links[0]}/${stats.links[1]}`,
  );
}
console.log(
  `titles equal: ${titleEqual}/${titleTotal} = ${pct(titleEqual, titleTotal)} (${titleSkipped} items without a reference title left out)`,
);
console.log(`links equal:  ${linkEqual}/${linkTotal} = ${pct(linkEqual, linkTotal)}`);
if (mismatches.length) console.log(`mismatches (${mismatches.length}):\n  ${mismatches.slice(0, 30).join('\n  ')}`);

// Speed: parse every feed repeatedly, interleaved with a baseline that only builds a
// raw tree (fast-xml-parser for XML, JSON.parse for JSON) over the same inputs, so the
// ratio stays meaningful on a busy machine. CPU time (process.cpuUsage) is reported
// beside wall time for the same reason.
const bytes = cases.reduce((sum, test) => sum + Buffer.byteLength(test.text), 0);
const rawXml = new XMLParser({ ignoreAttributes: false, processEntities: false });
const parseAll = () => {
  let items = 0;
  for (const test of cases) {
    try {
      items += parseFeed(test.text, { baseUrl: null }).drafts.length;
    } catch {
      // counted above
    }
  }
  return items;
};
const baselineAll = () => {
  for (const test of cases) {
    if (test.format === 'jsonfeed') JSON.parse(test.text);
    else rawXml.parse(test.text);
  }
};
for (let i = 0; i < 20; i++) {
  parseAll();
  baselineAll();
}
let rounds = 0;
let items = 0;
let oursWall = 0;
let oursCpu = 0;
let baseWall = 0;
const started = performance.now();
while (performance.now() - started < 6000) {
  let wall = performance.now();
  const cpu = process.cpuUsage();
  items += parseAll();
  const used = process.cpuUsage(cpu);
  oursCpu += (used.user + used.system) / 1e6;
  oursWall += (performance.now() - wall) / 1000;
  wall = performance.now();
  baselineAll();
  baseWall += (performance.now() - wall) / 1000;
  rounds++;
}
console.log(
  `speed: ${Math.round(items / oursWall)} items/s wall, ${Math.round(items / oursCpu)} items/s CPU, ` +
    `${((bytes * rounds) / oursWall / 1e6).toFixed(1)} MB/s (${rounds} rounds over ${(bytes / 1e3).toFixed(0)} KB)`,
);
console.log(
  `baseline (bare fast-xml-parser / JSON.parse tree, no fields): ours takes ${(oursWall / baseWall).toFixed(2)}x its time`,
);

function loadFeedsmith(root: string): Case[] {
  const out: Case[] = [];
  for (const format of ['atom', 'rdf', 'rss']) {
    const folder = join(root, 'feedsmith', format);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith('.xml'))
      .sort()) {
      const expectedPath = join(folder, file.replace(/\.xml$/, '.json'));
      if (!existsSync(expectedPath)) continue;
      const text = decodeText(readFileSync(join(folder, file)), { kind: 'xml' });
      const reference = JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, unknown>;
      const base = /<(?:[\w]+:)?feed\b[^>]*\sxml:base="([^"]+)"/.exec(text)?.[1] ?? null;
      const siteLink =
        format === 'atom' ? alternateHref(reference.links, base) : absolute(reference.link as string, base);
      const rawItems = (reference.items ?? reference.entries ?? []) as Record<string, unknown>[];
      const expected = rawItems.map((item) => ({
        title: normalizeTitle(item.title),
        link:
          format === 'atom'
            ? alternateHref(item.links, base ?? siteLink)
            : absolute((item.link as string | undefined) ?? null, siteLink),
      }));
      out.push({ name: `${format}/${file}`, format, text, expected });
    }
  }
  return out;
}

function loadJsonFeeds(root: string): Case[] {
  const folder = join(root, 'jsonfeed-net');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = decodeText(readFileSync(join(folder, file)), { kind: 'text' });
      const feed = JSON.parse(text) as { home_page_url?: string; items?: Record<string, unknown>[] };
      const expected = (feed.items ?? []).map((item) => ({
        title: normalizeTitle(item.title),
        link: absolute(((item.url ?? item.external_url) as string | undefined) ?? null, feed.home_page_url ?? null),
      }));
      return { name: `jsonfeed/${basename(file)}`, format: 'jsonfeed', text, expected };
    });
}

function normalizeTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = /[<&]/.test(value) ? collapseWhitespace(htmlToText(value)) : collapseWhitespace(value);
  return text || null;
}

function alternateHref(links: unknown, base: string | null): string | null {
  if (!Array.isArray(links)) return null;
  const alternates = links.filter((link: { rel?: string }) => (link.rel ?? 'alternate') === 'alternate');
  const preferred =
    alternates.find((link: { type?: string }) => !link.type || link.type.includes('html')) ?? alternates[0];
  return absolute((preferred as { href?: string } | undefined)?.href ?? null, base);
}

function absolute(href: string | null, base: string | null): string | null {
  if (!href) return null;
  try {
    const url = base ? new URL(href.trim(), base) : new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
