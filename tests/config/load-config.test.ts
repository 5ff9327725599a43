import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config.ts';
import { configProblems } from '../helpers/config-problems.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const minimal = {
  categories: { security: { title: 'Security', aliases: ['infosec'] } },
  sources: [{ name: 'a', type: 'feed', url: 'https://example.org/feed.xml' }],
};

function problemsOf(raw: unknown, env: Record<string, string> = {}): string[] {
  return configProblems(() => parseConfig(raw, env, 'test.yaml'));
}

describe('configuration', () => {
  it('fills documented defaults', () => {
    const config = parseConfig(minimal, {});
    expect(config.store.path).toBe('data/tidings.db');
    expect(config.fetch).toMatchObject({ maxBytes: 10 * 1024 * 1024, timeout: 30_000, maxRedirects: 5 });
    expect(config.transport).toEqual({ type: 'outbox', dir: 'outbox' });
    expect(config.delivery.maxLateness).toBe(6 * 3_600_000);
    expect(config.categories.security!.keywords).toEqual([]);
    expect(config.classifier).toMatchObject({ minConfidence: 0.5, labelShare: 0.98 });
  });

  it('refuses a classifier.labelShare outside 0..1, naming the key', () => {
    const problems = problemsOf({ ...minimal, classifier: { labelShare: 1.5 } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^classifier\.labelShare: /);
    expect(parseConfig({ ...minimal, classifier: { labelShare: 0 } }, {}).classifier.labelShare).toBe(0);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      categories: { security: { title: 'Security', colour: 'red' } },
      sources: [
        { name: 'a', type: 'feed', url: 'https://example.org/a' },
        { name: 'b', type: 'feed', url: 'https://example.org/b' },
        { name: 'c', type: 'feed', url: 'ftp://example.org/c' },
      ],
      fetch: { timeout: 'soon' },
      surprise: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'sources[2].url: must be an http(s) URL',
        'categories.security: unknown key "colour"',
        expect.stringMatching(/^fetch\.timeout: must be a duration/),
        '(root): unknown key "surprise"',
      ]),
    );
  });

  it('reads category titles per locale and the newsletter languages rule, and names bad values', () => {
    const config = parseConfig(
      {
        categories: { security: { title: 'Security', titles: { de: 'Sicherheit', 'pt-BR': 'Segurança' } } },
        newsletters: [{ id: 'daily', title: 'Daily', categories: ['security'], from: 'a@example.org' }],
      },
      {},
    );
    expect(config.categories.security!.titles).toEqual({ de: 'Sicherheit', 'pt-BR': 'Segurança' });
    expect(config.newsletters[0]!.languages).toBe('subscriber');
    const problems = problemsOf({
      categories: { security: { title: 'Security', titles: { 'not a locale': 'x', de: '' } } },
      newsletters: [{ id: 'daily', title: 'Daily', categories: ['security'], from: 'a@example.org', languages: 'all' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^categories\.security\.titles.*must be a locale such as de or pt-BR/),
        expect.stringMatching(/^categories\.security\.titles\.de: /),
        expect.stringMatching(
          /^newsletters\[0\]\.languages: .*subscriber.*any|^newsletters\[0\]\.languages: .*any.*subscriber/,
        ),
      ]),
    );
  });

  it('checks references between sections', () => {
    const problems = problemsOf({
      ...minimal,
      newsletters: [{ id: 'daily', title: 'Daily', categories: ['security', 'sport'], from: 'a@example.org' }],
    });
    expect(problems).toEqual(['newsletters[0].categories[1]: "sport" is not a configured category']);
    const other = problemsOf({
      ...minimal,
      newsletters: [
        { id: 'daily', title: 'Daily', categories: ['security'], from: 'a@example.org', otherSection: 'misc' },
      ],
    });
    expect(other).toEqual([
      'newsletters[0].otherSection: "misc" must be one of the newsletter\'s categories (security)',
    ]);
  });

  it('interpolates ${VAR} and ${VAR:-fallback} from the environment, after parsing', () => {
    const raw = { web: { secret: '${SECRET}', baseUrl: '${BASE:-https://news.example.org}' } };
    const config = parseConfig(raw, { SECRET: 'a-very-long-secret-value\nstore:' });
    expect(config.web.secret).toBe('a-very-long-secret-value\nstore:');
    expect(config.web.baseUrl).toBe('https://news.example.org');
    expect(problemsOf({ web: { secret: '${MISSING}' } })).toContain(
      'web.secret: environment variable MISSING is not set',
    );
  });

  const tempDir = useTempDir();
  it('names the file and line of a YAML syntax error', () => {
    const file = path.join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'store:\n  path: [unclosed\n');
    expect(() => loadConfig(file, {})).toThrow(/bad\.yaml.*\n.*line \d+/);
  });

  it('says when the file is missing', () => {
    expect(() => loadConfig('/nonexistent/tidings.yaml', {})).toThrow(
      /tidings\.yaml: invalid configuration:\n {2}\(file\): file not found/,
    );
  });

  it('loads the committed example configuration', () => {
    const loaded = loadConfig(path.resolve('tidings.config.yaml'), {});
    expect(loaded.config.newsletters.map((n) => n.id)).toContain('daily');
    // No secret in the repository: unset, the first run creates one in the data folder.
    expect(loaded.config.web.secret).toBeUndefined();
    expect(
      loadConfig(path.resolve('tidings.config.yaml'), { TIDINGS_SECRET: 'from-the-environment-0123' }).config.web
        .secret,
    ).toBe('from-the-environment-0123');
  });
});

describe('configuration messages', () => {
  it('names the allowed values of an unknown type, and reports an unset variable once', () => {
    expect(problemsOf({ sources: [{ name: 'a', type: 'feeed', url: 'https://example.org/f' }] })).toEqual([
      'sources[0].type: must be one of "feed", "page", "folder"',
    ]);
    expect(problemsOf({ transport: { type: 'smtp', url: '${SMTP_URL}' } })).toEqual([
      'transport.url: environment variable SMTP_URL is not set',
    ]);
  });
});

describe('${VAR} in numeric and boolean keys', () => {
  it('reads a whole-scalar variable as the number or boolean the key wants', () => {
    const config = parseConfig(
      {
        store: { busyTimeout: '${BUSY}' },
        web: { port: '${PORT:-9000}' },
        classifier: { minConfidence: '${CONF}' },
        fetch: { maxRedirects: '${HOPS}' },
      },
      { BUSY: '45s', CONF: '0.75', HOPS: '3' },
    );
    expect(config.web.port).toBe(9000);
    expect(config.classifier.minConfidence).toBe(0.75);
    expect(config.fetch.maxRedirects).toBe(3);
    expect(config.store.busyTimeout).toBe(45_000);
  });

  it('leaves a number written in quotes, or a variable inside other text, an error as before', () => {
    expect(problemsOf({ web: { port: '8081' } })).toEqual([
      'web.port: Invalid input: expected number, received string',
    ]);
    expect(problemsOf({ web: { port: '80${N}' } }, { N: '81' })).toEqual([
      'web.port: Invalid input: expected number, received string',
    ]);
  });

  it('names the key and the variable when the value is not a number or boolean', () => {
    expect(problemsOf({ web: { port: '${PORT}' } }, { PORT: 'eighty' })).toEqual([
      'web.port: environment variable PORT is "eighty", not a number',
    ]);
    expect(
      problemsOf(
        { sources: [{ name: 'a', type: 'feed', url: 'https://example.org/f', enabled: '${ON}' }] },
        { ON: 'sometimes' },
      ),
    ).toEqual(['sources[0].enabled: environment variable ON is "sometimes", not a boolean']);
  });
});

describe('hostile YAML', () => {
  const tempDir = useTempDir();

  it('refuses an alias bomb with one problem instead of expanding it', () => {
    const file = path.join(tempDir(), 'bomb.yaml');
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(() => loadConfig(file, {})).toThrow(
      /invalid configuration:\n {2}\(file\): YAML aliases expand to too many nodes/,
    );
  });
});
