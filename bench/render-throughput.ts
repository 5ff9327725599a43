/**
 * Render throughput: 15 articles, 20,000 subscribers over 50 segments.
 *
 *   npx tsx bench/render-throughput.ts [SUBSCRIBERS] [SEGMENTS] [BASELINE_SAMPLE]
 *
 * Segmented: renderSegment once per segment, then personalize per subscriber.
 * Baseline (same run, same inputs): a full Handlebars → MJML → HTML render per subscriber,
 * timed on a sample and extrapolated to messages per second. Prints the ratio and peak memory.
 */
import path from 'node:path';
import { createRenderer } from '../src/render/create-renderer.ts';
import { personalize } from '../src/render/personalize.ts';
import type { RenderedSegment, PersonalTokens } from '../src/render/render-types.ts';
import type { SegmentContent } from '../src/editions/segment-content.ts';
import { createSilentLogger } from '../src/core/logger.ts';
import { buildFixtureNewsletter, buildFixtureSegment } from '../tests/fixtures/render/fixture-edition.ts';

const SUBSCRIBERS = Number(process.argv[2] ?? 20_000);
const SEGMENTS = Number(process.argv[3] ?? 50);
const BASELINE_SAMPLE = Number(process.argv[4] ?? 200);
const LOCALES = [
  ['en', 'Europe/London'],
  ['en', 'America/New_York'],
  ['ru', 'Europe/Moscow'],
  ['de', 'Europe/Berlin'],
  ['en', 'Asia/Tokyo'],
] as const;

let peakRss = process.memoryUsage().rss;
const sampleMemory = () => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
};
const sampler = setInterval(sampleMemory, 20);

/** 50 distinct segments of the same 15-article edition: a different article left out and order per segment. */
function segmentFor(index: number): SegmentContent {
  const [locale, timezone] = LOCALES[index % LOCALES.length]!;
  const base = buildFixtureSegment({ perSection: 5, locale, timezone });
  // 14 section articles + top story = 15; which one is left out and the section order vary.
  const skip = index % 15;
  let seen = 0;
  const sections = base.sections.map((section) => ({
    ...section,
    articles: section.articles.filter(() => seen++ !== skip),
  }));
  const rotation = Math.floor(index / 15) % sections.length;
  return { ...base, sections: [...sections.slice(rotation), ...sections.slice(0, rotation)] };
}

function tokensFor(subscriber: number): PersonalTokens {
  const id = subscriber.toString(36).padStart(6, '0');
  return {
    name: subscriber % 7 === 0 ? '' : `Reader ${subscriber}`,
    email: `reader${subscriber}@example.org`,
    unsubscribe_url: `https://news.example.org/u/${id}?sig=${'f'.repeat(64)}`,
    preferences_url: `https://news.example.org/p/${id}?sig=${'e'.repeat(64)}`,
    view_url: `https://news.example.org/v/${id}`,
  };
}

const renderer = await createRenderer({
  templatesDir: path.resolve(import.meta.dirname, '../templates'),
  logger: createSilentLogger(),
});
const newsletter = buildFixtureNewsletter();
const segments = Array.from({ length: SEGMENTS }, (_, index) => segmentFor(index));
const segmentOf = (subscriber: number) => subscriber % SEGMENTS;
let checksum = 0;

// Warm up both paths (JIT, Intl caches for every locale) outside the timings.
for (let index = 0; index < LOCALES.length; index++)
  personalize(await renderer.renderSegment(segments[index]!, newsletter), tokensFor(index));
const rssAfterStart = process.memoryUsage().rss;

// Segmented path.
const segmentedStart = performance.now();
const rendered: RenderedSegment[] = [];
for (const content of segments) rendered.push(await renderer.renderSegment(content, newsletter));
const renderDone = performance.now();
for (let subscriber = 0; subscriber < SUBSCRIBERS; subscriber++) {
  const message = personalize(rendered[segmentOf(subscriber)]!, tokensFor(subscriber));
  checksum += message.html.length + message.text.length;
  if (subscriber % 1000 === 0) sampleMemory();
}
const segmentedMs = performance.now() - segmentedStart;
const segmentedRate = SUBSCRIBERS / (segmentedMs / 1000);

// Baseline: a full render per subscriber on the same inputs, timed on a sample.
const baselineStart = performance.now();
for (let subscriber = 0; subscriber < BASELINE_SAMPLE; subscriber++) {
  const message = personalize(
    await renderer.renderSegment(segments[segmentOf(subscriber)]!, newsletter),
    tokensFor(subscriber),
  );
  checksum += message.html.length;
  sampleMemory();
}
const baselineMs = performance.now() - baselineStart;
const baselineRate = BASELINE_SAMPLE / (baselineMs / 1000);
clearInterval(sampler);
sampleMemory();

const sizes = rendered.map((segment) => Buffer.byteLength(segment.html));
const ratio = segmentedRate / baselineRate;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`subscribers ${SUBSCRIBERS}, segments ${SEGMENTS}, articles per edition 15`);
console.log(
  `segment HTML: ${(Math.min(...sizes) / 1024).toFixed(1)}–${(Math.max(...sizes) / 1024).toFixed(1)} KB (before tokens)`,
);
console.log(
  `segmented: ${SEGMENTS} renders in ${(renderDone - segmentedStart).toFixed(0)} ms + ${SUBSCRIBERS} personalizations in ${(segmentedMs - (renderDone - segmentedStart)).toFixed(0)} ms = ${segmentedMs.toFixed(0)} ms → ${segmentedRate.toFixed(0)} messages/s`,
);
console.log(
  `baseline (render per subscriber, sample ${BASELINE_SAMPLE}): ${baselineMs.toFixed(0)} ms → ${baselineRate.toFixed(1)} messages/s (${(baselineMs / BASELINE_SAMPLE).toFixed(1)} ms each)`,
);
console.log(`ratio: ${ratio.toFixed(0)}x (floor 50x: ${ratio >= 50 ? 'PASS' : 'FAIL'})`);
console.log(
  `peak RSS: ${mb(peakRss)} sampled, ${mb(process.resourceUsage().maxRSS * 1024)} maxRSS (${mb(rssAfterStart)} after loading the renderer)`,
);
console.log(`checksum ${checksum}`);
if (ratio < 50) process.exitCode = 1;
