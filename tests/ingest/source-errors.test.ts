import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const BOMB = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>Bomb</title><item><title>&b;</title><link>https://bomb.example/1</link></item></channel></rss>`;
const GOOD = `<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<item><title>Quay lights switched on</title><link>https://good.example/1</link><description>The council switched on the new quay lights on Friday.</description></item></channel></rss>`;

describe('a source with entity declarations', () => {
  const tempDir = useTempDir();
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => close?.());

  it('fails alone, with a reason naming the URL or the file, and the other sources are stored', async () => {
    const server = await startFixtureServer({
      '/bomb.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(BOMB),
      '/good.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(GOOD),
    });
    close = server.close;
    const dir = tempDir();
    mkdirSync(path.join(dir, 'drop'));
    writeFileSync(path.join(dir, 'drop', 'bomb.xml'), BOMB);
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      config,
      `store: { path: t.db }
sources:
  - { name: remote-bomb, type: feed, url: "${server.url('/bomb.xml')}" }
  - { name: folder-bomb, type: folder, path: drop }
  - { name: good, type: feed, url: "${server.url('/good.xml')}" }
`,
    );
    const result = await runCli(['-q', '-c', config, 'ingest']);
    expect(result.code).toBe(1);
    const lines = result.out.split('\n');
    expect(lines.find((l) => l.startsWith('remote-bomb'))).toMatch(
      /FAILED\s+http:\/\/127\.0\.0\.1:\d+\/bomb\.xml: the DOCTYPE declares entities/,
    );
    // A folder lists each failing file on a line of its own under the source.
    expect(result.out).toMatch(
      /folder-bomb\s+FAILED\s+\S*drop: 1 of 1 files failed:\n\s+\S*drop\/bomb\.xml: the DOCTYPE declares entities/,
    );
    expect(lines.find((l) => l.startsWith('good'))).toMatch(/ok\s+new 1/);

    const inspect = await runCli([
      '-q',
      '-c',
      config,
      'inspect',
      '--json',
      path.join(dir, 'drop', 'bomb.xml'),
      server.url('/good.xml'),
    ]);
    expect(inspect.code).toBe(1);
    expect(inspect.err).toContain(`${path.join(dir, 'drop', 'bomb.xml')}: the DOCTYPE declares entities`);
    expect(JSON.parse(inspect.out)).toHaveLength(1);
  });
});
