import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { verifyImageToken } from '../../src/render/image-links.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const SECRET = 'images-cli-secret-0123456789abcdef';
const SLOT = '2026-03-02T07:00:00Z';
const IMAGE = 'https://images.example.com/desk/harbour.jpg';

/** A project with one newsletter, two readers and three articles, the top one with an image; sends go to the outbox. */
function writeProject(dir: string, images: string | null) {
  mkdirSync(path.join(dir, 'articles'));
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(
    path.join(dir, 'subscribers', 'list.yaml'),
    'subscribers:\n  - email: ann@example.org\n    newsletters: [daily]\n  - email: bo@example.org\n    newsletters: [daily]\n',
  );
  const published = new Date(new Date(SLOT).getTime() - 3_600_000).toISOString();
  const articles = [1, 2, 3].map((n) => ({
    title: `Harbour story ${n}`,
    url: `https://desk.example.com/harbour-${n}`,
    text: `The harbour authority published its plan number ${n} today. Ferries will run every twenty minutes. The plan starts in spring.`,
    publishedAt: published,
    categories: ['Local'],
    language: 'en',
    ...(n === 1 ? { imageUrl: IMAGE } : {}),
  }));
  writeFileSync(path.join(dir, 'articles', 'briefs.json'), JSON.stringify(articles));
  writeFileSync(
    path.join(dir, 'tidings.config.yaml'),
    `store:
  path: data/tidings.db
categories:
  local:
    title: Local
sources:
  - name: desk
    type: folder
    path: articles
newsletters:
  - id: daily
    title: Harbour Daily
    categories: [local]
    minArticles: 1
    from: "Harbour Daily <digest@news.example.org>"
    timezone: UTC
subscribers:
  paths: [subscribers]
transport:
  type: outbox
  dir: outbox
web:
  baseUrl: https://news.example.org
  secret: ${SECRET}
${images ? `images: ${images}\n` : ''}`,
  );
}

async function sendAndReadHtml(dir: string): Promise<string[]> {
  const result = await runCli(
    ['-q', '-c', path.join(dir, 'tidings.config.yaml'), 'run', '--at', SLOT],
    {},
    '2026-03-02T07:01:00Z',
  );
  expect(result.code, result.out + result.err).toBe(0);
  const outbox = path.join(dir, 'outbox');
  const files = readdirSync(outbox, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.eml'));
  expect(files).toHaveLength(2);
  return Promise.all(
    files.map(async (file) => String((await simpleParser(readFileSync(path.join(outbox, file)))).html)),
  );
}

const imgSources = (html: string) => [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1]!);

describe('article images in sent digests', () => {
  const tempDir = useTempDir();

  it("proxy by default with a public web.baseUrl: every reader gets the same signed /img/ link, never the site's URL", async () => {
    const dir = tempDir();
    writeProject(dir, null);
    const [ann, bo] = await sendAndReadHtml(dir);
    const sources = imgSources(ann!);
    expect(sources).toHaveLength(1);
    expect(imgSources(bo!)).toEqual(sources);
    const token = /^https:\/\/news\.example\.org\/img\/([^/]+)$/.exec(sources[0]!)?.[1];
    expect(token, sources[0]).toBeDefined();
    expect(verifyImageToken(token!, SECRET)).toBe(IMAGE);
    expect(ann).not.toContain('images.example.com');
  }, 60_000);

  it("direct links the site's image; none shows no article image", async () => {
    const direct = tempDir();
    writeProject(direct, 'direct');
    for (const html of await sendAndReadHtml(direct)) expect(imgSources(html)).toEqual([IMAGE]);
    const none = tempDir();
    writeProject(none, 'none');
    for (const html of await sendAndReadHtml(none)) {
      expect(imgSources(html)).toEqual([]);
      expect(html).not.toContain('images.example.com');
    }
  }, 60_000);
});
