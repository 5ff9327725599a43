import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Parser as HtmlParser } from 'htmlparser2';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

/*
 * The quick start ingests samples/ as it is, so a broken sample breaks the first run.
 * These checks use general-purpose parsers only (not Tidings' own ingest code), so a
 * sample problem and an ingest bug are reported apart.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const samplesDir = path.join(root, 'samples');
const feedPath = path.join(samplesDir, 'feeds', 'harbor-herald.xml');
const articlesDir = path.join(samplesDir, 'articles');

interface CategoryConfig {
  title?: string;
  aliases?: string[];
  keywords?: string[];
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function relative(file: string): string {
  return path.relative(root, file);
}

function readConfiguredCategories(): Record<string, CategoryConfig> {
  const config = parseYaml(read(path.join(root, 'tidings.config.yaml'))) as {
    categories: Record<string, CategoryConfig>;
  };
  return config.categories;
}

interface FeedItem {
  title: string;
  link: string;
  guid: unknown;
  pubDate: string;
  'dc:creator': string;
  category: string[];
  description: string;
  'content:encoded': string;
  'media:content'?: { '@_url': string };
}

function readFeedItems(): FeedItem[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === 'item' || name === 'category',
  });
  const doc = parser.parse(read(feedPath)) as { rss: { channel: { title: string; item: FeedItem[] } } };
  return doc.rss.channel.item;
}

function readFrontMatter(file: string): Record<string, unknown> | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(read(file));
  return match ? (parseYaml(match[1]!) as Record<string, unknown>) : null;
}

/** article:section and article:tag values of an HTML page. */
function readHtmlLabels(file: string): string[] {
  const labels: string[] = [];
  const parser = new HtmlParser({
    onopentag(name, attributes) {
      if (name !== 'meta') return;
      const property = attributes.property ?? attributes.name ?? '';
      if ((property === 'article:section' || property === 'article:tag') && attributes.content)
        labels.push(attributes.content);
    },
  });
  parser.write(read(file));
  parser.end();
  return labels;
}

function wordCount(text: string): number {
  return text
    .replace(/<[^>]+>/g, ' ')
    .split(/\s+/)
    .filter(Boolean).length;
}

const articleFiles = listFiles(articlesDir);
const byExtension = (ext: string) => articleFiles.filter((file) => file.toLowerCase().endsWith(ext));

describe('sample feed', () => {
  it('is well-formed XML', () => {
    expect(XMLValidator.validate(read(feedPath))).toBe(true);
  });

  it('has seven complete items dated 24–27 November 2026', () => {
    const items = readFeedItems();
    expect(items).toHaveLength(7);
    for (const item of items) {
      const where = `feed item "${item.title}"`;
      expect(item.title, where).toBeTruthy();
      expect(item.link, where).toMatch(/^https:\/\//);
      expect(item.guid, where).toBeTruthy();
      expect(item['dc:creator'], where).toBeTruthy();
      expect(item.description, where).toBeTruthy();
      expect(item.category.length, where).toBeGreaterThanOrEqual(1);
      expect(item.category.length, where).toBeLessThanOrEqual(2);
      const published = new Date(item.pubDate);
      expect(published.toISOString() >= '2026-11-24' && published.toISOString() < '2026-11-28', where).toBe(true);
      const paragraphs = item['content:encoded'].match(/<p>/g) ?? [];
      expect(paragraphs.length, where).toBeGreaterThanOrEqual(4);
      expect(paragraphs.length, where).toBeLessThanOrEqual(7);
      const words = wordCount(item['content:encoded']);
      expect(words, `${where}: ${words} words`).toBeGreaterThanOrEqual(230);
      expect(words, `${where}: ${words} words`).toBeLessThanOrEqual(470);
    }
  });

  it('exercises escaping, non-ASCII text, tracking parameters and images', () => {
    const raw = read(feedPath);
    const items = readFeedItems();
    expect(raw).toMatch(/<title>[^<]*&amp;[^<]*<\/title>/);
    expect(items.some((item) => /[^\x00-\x7F]/.test(`${item.title} ${item['dc:creator']}`))).toBe(true);
    expect(items.some((item) => item.link.includes('utm_'))).toBe(true);
    expect(items.some((item) => !item.link.includes('utm_'))).toBe(true);
    expect(items.filter((item) => item['media:content']?.['@_url']).length).toBeGreaterThanOrEqual(4);
    expect(items.some((item) => item['content:encoded'].includes('<img'))).toBe(true);
    expect(items.some((item) => item['content:encoded'].includes('<h2>'))).toBe(true);
  });
});

describe('sample folder', () => {
  it('holds one file of each supported format', () => {
    for (const ext of ['.json', '.md', '.html', '.txt']) expect(byExtension(ext).length, ext).toBeGreaterThanOrEqual(1);
  });

  it('has JSON files that parse, with title, url and publishedAt on each article', () => {
    for (const file of byExtension('.json')) {
      const parsed = JSON.parse(read(file)) as unknown;
      const articles = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
      expect(articles.length, relative(file)).toBeGreaterThan(0);
      articles.forEach((article, index) => {
        const where = `${relative(file)}[${index}]`;
        expect(typeof article.title === 'string' && article.title.length > 0, `${where}.title`).toBe(true);
        expect(typeof article.url === 'string' && article.url.length > 0, `${where}.url`).toBe(true);
        expect(Number.isNaN(Date.parse(String(article.publishedAt))), `${where}.publishedAt`).toBe(false);
      });
    }
  });

  it('has Markdown files with front matter and a title', () => {
    for (const file of byExtension('.md')) {
      const front = readFrontMatter(file);
      expect(front, `${relative(file)}: no front matter`).not.toBeNull();
      expect(typeof front!.title === 'string' && front!.title.trim().length > 0, `${relative(file)}: title`).toBe(true);
    }
  });

  it('includes a non-English Markdown article', () => {
    const languages = byExtension('.md').map((file) => readFrontMatter(file)?.language);
    expect(languages.some((language) => typeof language === 'string' && language !== 'en')).toBe(true);
  });

  it('has a page dump in the saved-page shape', () => {
    for (const file of byExtension('.txt')) {
      const lines = read(file)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const title = lines[0]!.split(' / ')[0]!;
      expect(lines[0]!.split(' / ').length, `${relative(file)}: first line`).toBe(3);
      expect(lines.filter((line) => line === title).length, `${relative(file)}: repeated title`).toBeGreaterThanOrEqual(
        1,
      );
      expect(
        lines.slice(-4).some((line) => /[\u0400-\u04FF]/.test(line)),
        `${relative(file)}: other-script tail`,
      ).toBe(true);
    }
  });
});

describe('all samples', () => {
  // Namespace names in XML are identifiers, not links; everything else must stay on example domains.
  const URL_PATTERN = /(?<!xmlns(?::\w+)?=")\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)\]]+/gi;

  it('link only to https URLs on example.org/.com/.net', () => {
    const bad: string[] = [];
    let count = 0;
    for (const file of listFiles(samplesDir)) {
      for (const match of read(file).matchAll(URL_PATTERN)) {
        count++;
        const url = new URL(match[0]);
        if (url.protocol !== 'https:' || !/(^|\.)example\.(org|com|net)$/.test(url.hostname)) {
          bad.push(`${relative(file)}: ${match[0]}`);
        }
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });

  it('cover every configured category at least twice', () => {
    const categories = readConfiguredCategories();
    const names = new Map<string, string>();
    for (const [slug, category] of Object.entries(categories)) {
      for (const name of [slug, category.title ?? '', ...(category.aliases ?? [])]) {
        if (name) names.set(name.toLowerCase(), slug);
      }
    }

    const labelSets: string[][] = [
      ...readFeedItems().map((item) => item.category),
      ...byExtension('.json').flatMap((file) =>
        (JSON.parse(read(file)) as { categories?: string[] }[]).map((article) => article.categories ?? []),
      ),
      ...byExtension('.md').map((file) => (readFrontMatter(file)?.categories as string[] | undefined) ?? []),
      ...byExtension('.html').map(readHtmlLabels),
    ];
    const counts = new Map<string, number>(Object.keys(categories).map((slug) => [slug, 0]));
    const unknown = new Set<string>();
    for (const labels of labelSets) {
      const slugs = new Set<string>();
      for (const label of labels) {
        const slug = names.get(label.toLowerCase());
        if (slug) slugs.add(slug);
        else unknown.add(label);
      }
      for (const slug of slugs) counts.set(slug, counts.get(slug)! + 1);
    }
    // A page dump carries no labels: it counts for the categories whose keywords it names.
    for (const file of byExtension('.txt')) {
      const text = read(file).toLowerCase();
      for (const [slug, category] of Object.entries(categories)) {
        if ((category.keywords ?? []).some((keyword) => new RegExp(`\\b${keyword.toLowerCase()}\\b`, 'u').test(text))) {
          counts.set(slug, counts.get(slug)! + 1);
        }
      }
    }

    for (const [slug, count] of counts) expect(count, `category ${slug}`).toBeGreaterThanOrEqual(2);
    // The samples also carry labels no category claims, so the mapper's fallback is exercised.
    expect(unknown.size).toBeGreaterThan(0);
  });
});
