import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/ingest/decode-text.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feeds');

function parseFixture(name: string, baseUrl: string | null = null) {
  const kind = name.endsWith('.json') ? 'text' : 'xml';
  return parseFeed(decodeText(readFileSync(join(FIXTURES, name)), { kind }), { baseUrl });
}

describe('parseFeed: RSS', () => {
  it('reads RSS 0.91 (with its public DOCTYPE) and resolves relative links against the channel link', () => {
    const feed = parseFixture('rss-091.xml', 'https://elsewhere.example/feed.xml');
    expect(feed).toMatchObject({
      title: 'Harbour Town Gazette',
      siteUrl: 'https://gazette.example.net/',
      language: 'en-gb',
      warnings: [],
    });
    expect(feed.drafts.map((d) => [d.title, d.url])).toEqual([
      ['Ferry timetable changes & new routes', 'https://gazette.example.net/news/ferry-timetable'],
      ['Lighthouse reopens', 'https://gazette.example.net/news/lighthouse'],
    ]);
    expect(feed.drafts[0]!.text).toBe('The ferry company announced winter times.');
    expect(feed.drafts[0]!.siteName).toBe('Harbour Town Gazette');
  });

  it('reads RSS 0.92 categories, escaped HTML paragraphs and image enclosures', () => {
    const [first, second] = parseFixture('rss-092.xml').drafts;
    expect(first).toMatchObject({
      title: 'Apple harvest starts early',
      url: null,
      text: 'Warm weather means an early harvest.\n\nPickers are wanted.',
      labels: ['Farming'],
      imageUrl: 'http://orchard.example.org/img/apples.jpg',
    });
    expect(second!.url).toBe('http://orchard.example.org/2024/press');
  });

  it('reads RSS 1.0 (RDF) with items beside the channel and Dublin Core fields', () => {
    const feed = parseFixture('rdf-10.xml');
    expect(feed.language).toBe('de');
    expect(feed.drafts).toHaveLength(2);
    expect(feed.drafts[0]).toEqual({
      url: 'https://science.example.com/a/comet',
      title: 'Komet über Europa sichtbar',
      text: 'Ein heller Komet ist diese Woche am Abendhimmel zu sehen.',
      description: 'Ein heller Komet ist diese Woche am Abendhimmel zu sehen.',
      publishedAt: '2024-03-05T18:30:00.000Z',
      labels: ['Astronomie'],
      author: 'Greta Sternberg',
      imageUrl: null,
      language: 'de',
      siteName: 'Science Desk',
    });
    // No <link>: rdf:about is the item's URL.
    expect(feed.drafts[1]!.url).toBe('https://science.example.com/a/glacier');
    expect(feed.drafts[1]!.publishedAt).toBe('2024-03-04T00:00:00.000Z');
  });

  it('reads RSS 2.0 with content:encoded, dc, media (under any prefix) and odd dates', () => {
    const [router, chips, unsafe] = parseFixture('rss-20.xml').drafts;
    expect(router).toEqual({
      url: 'https://circuit.example.com/2024/05/router-flaw?utm_source=rss&ref=feed',
      title: 'Patch now: router flaw exploited',
      text: 'Attackers are exploiting a flaw in home routers.\n\nWhat to do\n\nInstall the update from the vendor.',
      description: 'A short teaser about the router flaw.',
      publishedAt: '2024-05-14T13:30:00.000Z',
      labels: ['Security', 'Networking'],
      author: 'Ada Quill',
      imageUrl: 'https://cdn.example.com/router.jpg',
      language: 'en-us',
      siteName: 'The Daily Circuit',
    });
    expect(chips).toMatchObject({
      url: 'https://circuit.example.com/2024/05/chips',
      title: 'Chip makers report record sales',
      text: 'Sales rose 20% in the quarter.',
      publishedAt: '2024-05-13T16:00:00.000Z',
      author: 'Ben Ohm',
      imageUrl: 'https://cdn.example.com/chips-thumb.jpg',
    });
    expect(unsafe).toMatchObject({ url: null, imageUrl: null, publishedAt: null });
  });
});

describe('parseFeed: Atom', () => {
  it('reads Atom 0.3 escaped and inline XHTML content, issued dates and feed authors', () => {
    const feed = parseFixture('atom-03.xml');
    expect(feed).toMatchObject({ title: 'Carnet de route', siteUrl: 'https://carnet.example.fr/', language: 'fr' });
    expect(feed.drafts[0]).toMatchObject({
      title: 'Étape à Lyon',
      url: 'https://carnet.example.fr/2005/07/lyon',
      text: 'Nous avons visité la basilique.',
      description: 'Une journée à Lyon.',
      publishedAt: '2005-07-30T18:00:00.000Z',
      author: 'Claire Voyage',
    });
    expect(feed.drafts[1]!.text).toBe("Le train était à l'heure.");
  });

  it('reads Atom 1.0: rel=alternate HTML link via xml:base, xhtml content, categories, media', () => {
    const feed = parseFixture('atom-10.xml');
    expect(feed.siteUrl).toBe('https://blog.example.io/');
    const [projections, mapas, onlyId] = feed.drafts;
    expect(projections).toEqual({
      url: 'https://blog.example.io/posts/projections',
      title: 'Projections & their discontents',
      text: 'Every projection distorts something.\n\nChoose wisely.',
      description: 'Why every flat map lies a little.',
      publishedAt: '2024-01-30T13:00:00.000Z',
      labels: ['Cartography', 'math'],
      author: 'Mira Lines',
      imageUrl: 'https://blog.example.io/img/mercator.png',
      language: 'en',
      siteName: 'Field Notes',
    });
    expect(mapas).toMatchObject({
      url: 'https://elsewhere.example.org/mapas',
      language: 'es',
      author: 'Luis Rumbo',
      imageUrl: 'https://cdn.example.io/thumb.jpg',
    });
    expect(onlyId).toMatchObject({ url: null, text: '', publishedAt: '2024-01-10T12:00:00.000Z' });
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads JSON Feed 1.0: content_html, external_url, tags, feed author, synthesized title', () => {
    const feed = parseFixture('jsonfeed-10.json');
    expect(feed.siteUrl).toBe('https://kitchen.example.com/');
    expect(feed.drafts[0]).toEqual({
      url: 'https://kitchen.example.com/bread',
      title: 'Sourdough, week two',
      text: 'The starter doubled.',
      description: 'Progress on the starter.',
      publishedAt: '2024-04-02T14:00:00.000Z',
      labels: ['Baking', 'bread'],
      author: 'Pat Baker',
      imageUrl: 'https://kitchen.example.com/img/loaf.jpg',
      language: null,
      siteName: 'Kitchen Log',
    });
    expect(feed.drafts[1]).toMatchObject({
      url: 'https://other.example.org/soup',
      title: 'A link to a good soup recipe.',
      text: 'A link to a good soup recipe.\n\nTry it with leeks.',
      publishedAt: '2024-04-01T10:00:00.000Z',
    });
  });

  it('reads JSON Feed 1.1 (with a BOM): authors, language, image, relative url; drops non-http URLs', () => {
    const feed = parseFixture('jsonfeed-11.json');
    expect(feed.language).toBe('nl');
    expect(feed.drafts[0]).toMatchObject({
      url: 'https://transit.example.com/issues/77',
      title: 'Nieuwe tramlijn & busroutes',
      author: 'Eva Rails',
      language: 'nl-BE',
      imageUrl: 'https://transit.example.com/img/tram.jpg',
      labels: ['Verkeer'],
    });
    expect(feed.drafts[1]).toMatchObject({ url: null, imageUrl: null, author: 'Joost Spoor', language: 'nl' });
  });
});

describe('parseFeed: speed', () => {
  it('parses a 2,000-item RSS feed', () => {
    const items = Array.from(
      { length: 2000 },
      (_, i) =>
        `<item><title>Item ${i} &amp; more</title><link>https://example.com/${i}</link>` +
        `<description>&lt;p&gt;Paragraph ${i}&lt;/p&gt;</description><pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate></item>`,
    ).join('');
    const feed = parseFeed(`<rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`, { baseUrl: null });
    expect(feed.drafts).toHaveLength(2000);
    expect(feed.drafts[1999]).toMatchObject({
      title: 'Item 1999 & more',
      url: 'https://example.com/1999',
      text: 'Paragraph 1999',
    });
  });
});
