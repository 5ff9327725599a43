import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app/context.ts';
import { EditionPipeline } from '../../src/app/edition-pipeline.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { formatEdition } from '../../src/cli/format-edition.ts';
import type { ArticleRecord } from '../../src/core/stored-article.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import {
  answer,
  completion,
  startFakeChatServer,
  type Behaviour,
  type FakeChatServer,
} from './support/fake-chat-server.ts';

const AT = '2026-11-28T07:00:00Z';
const API_KEY = 'sk-test-0123456789';
const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates');
const MODEL_SUMMARY = 'Harbour officials reopened the northern pier after repairs finished ahead of schedule.';

function rawConfig(baseUrl: string, llm: Record<string, unknown> = {}) {
  return {
    store: { path: 'tidings.db' },
    categories: { world: { title: 'World' }, technology: { title: 'Technology' } },
    summaries: {
      maxWords: 20,
      llm: { baseUrl, model: 'tiny-test', apiKey: '${LLM_API_KEY}', timeout: '10s', maxConcurrent: 2, ...llm },
    },
    newsletters: [
      {
        id: 'daily',
        title: 'Daily',
        categories: ['world', 'technology'],
        window: '24h',
        perCategory: 5,
        maxArticles: 10,
        minArticles: 1,
        from: 'Daily <d@example.org>',
        timezone: 'UTC',
      },
    ],
    web: { secret: 'llm-test-secret-0123456789abcdef' },
  };
}

interface Workspace {
  ctx: AppContext;
  warnings: { msg: string; article?: string; reason?: string }[];
  records: ArticleRecord[];
}

/** An app context at AT with no output, over the given configuration and logger. */
function quietContext(
  loaded: Parameters<typeof createAppContext>[0]['loaded'],
  logger: ReturnType<typeof createLogger>,
) {
  return createAppContext({
    loaded,
    clock: createFixedClock(AT),
    logger,
    env: {},
    out: () => {},
    err: () => {},
    interactive: false,
    stdout: process.stdout,
    templatesDir: TEMPLATES_DIR,
  });
}

describe('abstractive summaries from an OpenAI-compatible server (summaries.llm)', () => {
  const tempDir = useTempDir('tidings-llm-');
  let server: FakeChatServer | undefined;
  const contexts: AppContext[] = [];
  afterEach(async () => {
    for (const ctx of contexts.splice(0)) ctx.close();
    await server?.close();
    server = undefined;
  });

  async function workspace(
    behaviour: Behaviour,
    options: { articles?: number; llm?: Record<string, unknown> } = {},
  ): Promise<Workspace> {
    server = await startFakeChatServer(behaviour);
    const dir = tempDir();
    const config = parseConfig(
      rawConfig(server.baseUrl, options.llm),
      { LLM_API_KEY: API_KEY },
      path.join(dir, 'tidings.config.yaml'),
    );
    const warnings: Workspace['warnings'] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { level: number; msg: string; article?: string; reason?: string };
          if (entry.level === 40) warnings.push(entry);
        }
        done();
      },
    });
    const ctx = quietContext(
      { config, baseDir: dir, file: path.join(dir, 'tidings.config.yaml'), exists: true },
      createLogger({ level: 'warn', destination: sink }),
    );
    contexts.push(ctx);
    const records = Array.from({ length: options.articles ?? 1 }, (_, i) =>
      makeRecord({
        title: `Pier ${i} reopens`,
        text: `The northern pier number ${i} reopened on Friday. Repairs took three weeks. Ferries resume at dawn.`,
        categories: [i % 2 ? 'technology' : 'world'],
        publishedAt: new Date(Date.parse(AT) - (i + 1) * 60_000).toISOString(),
      }),
    );
    await ctx.store.articles.saveArticles(records, new Date(AT));
    return { ctx, warnings, records };
  }

  const build = (ctx: AppContext, save = true) =>
    EditionPipeline.open(ctx, 'daily', new Date(AT), { save }).then((p) => p.edition);

  it('asks the model with the prompt, the article and the Bearer key; the answer is the summary, labelled llm:<model>, cleaned of markup', async () => {
    const { ctx, records } = await workspace((_req, res) =>
      answer(
        res,
        200,
        completion(
          `Here is the summary:\n\n<p>**Harbour officials** reopened the northern pier</p>\u0007 after repairs\n finished ahead of schedule.</p>`,
        ),
      ),
    );
    const edition = await build(ctx);
    expect(server!.requests).toHaveLength(1);
    const request = server!.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.model).toBe('tiny-test');
    expect(request.body.stream).toBe(false);
    expect(request.body.messages![0]).toMatchObject({ role: 'system' });
    expect(request.body.messages![0]!.content).toContain('at most 20 words');
    expect(request.body.messages![1]!.role).toBe('user');
    expect(request.body.messages![1]!.content).toContain(records[0]!.title);
    expect(request.body.messages![1]!.content).toContain(records[0]!.text);
    const [article] = edition.articles;
    expect(article).toMatchObject({ summary: MODEL_SUMMARY, summaryEngine: 'llm:tiny-test' });
    // Stored: the label survives a reload, and the CLI shows it.
    const stored = await ctx.store.editions.getEdition(edition.id);
    expect(stored!.articles[0]!.summaryEngine).toBe('llm:tiny-test');
    expect(formatEdition(stored!, ['world', 'technology']).join('\n')).toContain('summary by llm:tiny-test');
  });

  it('asks once per article version: a second build finds the answer in the store', async () => {
    const { ctx } = await workspace((_req, res) => answer(res, 200, completion(MODEL_SUMMARY)));
    const preview = await build(ctx, false);
    expect(server!.requests).toHaveLength(1);
    const saved = await build(ctx);
    expect(server!.requests).toHaveLength(1);
    expect(saved.articles[0]).toMatchObject({ summary: preview.articles[0]!.summary, summaryEngine: 'llm:tiny-test' });
  });

  it('asks again when the prompt changes (the cache key covers it)', async () => {
    const first = await workspace((_req, res) => answer(res, 200, completion(MODEL_SUMMARY)));
    await build(first.ctx, false);
    const file = first.ctx.store.file!;
    const { config } = first.ctx;
    const changed = {
      ...config,
      summaries: {
        ...config.summaries,
        llm: { ...config.summaries.llm!, prompt: 'Summarize in {maxWords} words or fewer.' },
      },
    };
    const ctx = quietContext(
      {
        config: { ...changed, store: { ...config.store, path: file } },
        baseDir: path.dirname(file),
        file: 'x.yaml',
        exists: true,
      },
      createLogger({ level: 'silent' }),
    );
    contexts.push(ctx);
    await build(ctx, false);
    expect(server!.requests).toHaveLength(2);
    expect(server!.requests[1]!.body.messages![0]!.content).toBe('Summarize in 20 words or fewer.');
  });

  const faults: [string, Behaviour, string][] = [
    ['a server that never answers', () => {}, 'timeout'],
    ['a dropped connection', (_req, res) => res.socket?.destroy(), 'connection'],
    [
      'HTTP 500',
      (_req, res) => answer(res, 500, JSON.stringify({ error: { message: 'model crashed' } })),
      'http-status',
    ],
    ['malformed JSON', (_req, res) => answer(res, 200, '{"choices": [{"message": {"content": "Harbour'), 'malformed'],
    [
      'no choices',
      (_req, res) => answer(res, 200, JSON.stringify({ object: 'chat.completion', choices: [] })),
      'malformed',
    ],
    ['empty content', (_req, res) => answer(res, 200, completion('')), 'empty'],
    [
      'only markup and whitespace',
      (_req, res) => answer(res, 200, completion('<think>pier… ferries…</think>\n <br/> \u0000 ')),
      'empty',
    ],
    ['null content', (_req, res) => answer(res, 200, completion(null)), 'empty'],
    [
      'an over-long answer',
      (_req, res) => answer(res, 200, completion(Array.from({ length: 31 }, (_, i) => `word${i}`).join(' '))),
      'too-long',
    ],
    [
      'an answer cut at the token limit',
      (_req, res) => answer(res, 200, completion('Harbour officials reopened the', 'length')),
      'too-long',
    ],
  ];

  for (const [what, behaviour, reason] of faults) {
    it(`falls back to the extractive summary on ${what}, with a warning naming the article and the reason (${reason})`, async () => {
      // Only the silent server waits for the deadline; a short one keeps the test quick.
      const { ctx, warnings, records } = await workspace(behaviour, {
        llm: { timeout: reason === 'timeout' ? '300ms' : '10s' },
      });
      const edition = await build(ctx, false);
      expect(server!.requests).toHaveLength(1);
      expect(edition.articles[0]).toMatchObject({
        articleId: records[0]!.id,
        summary: records[0]!.summary,
        summaryEngine: 'extractive',
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ article: records[0]!.id, reason });
      expect(warnings[0]!.msg).toContain(records[0]!.title);
      expect(warnings[0]!.msg).toContain(reason);
      // A failure is not cached: the next build asks again, and the saved edition says who wrote the summary.
      const saved = await build(ctx);
      expect(server!.requests).toHaveLength(2);
      expect((await ctx.store.editions.getEdition(saved.id))!.articles[0]).toMatchObject({
        summary: records[0]!.summary,
        summaryEngine: 'extractive',
      });
    });
  }

  it('keeps at most maxConcurrent requests in flight', async () => {
    // Held answers are released in pairs, so two requests are in flight whenever the limit allows them.
    const held: (() => void)[] = [];
    const total = 7;
    let received = 0;
    const { ctx } = await workspace(
      (_req, res) => {
        received += 1;
        held.push(() => answer(res, 200, completion(MODEL_SUMMARY)));
        if (held.length >= 2 || received === total) for (const release of held.splice(0)) release();
      },
      { articles: total, llm: { maxConcurrent: 2, timeout: '30s' } },
    );
    const edition = await build(ctx);
    expect(server!.requests).toHaveLength(total);
    expect(server!.maxInFlight).toBe(2);
    expect(edition.articles.every((a) => a.summaryEngine === 'llm:tiny-test')).toBe(true);
  });

  it('sends one request at a time with maxConcurrent 1', async () => {
    const { ctx } = await workspace(
      (_req, res) => void setImmediate(() => answer(res, 200, completion(MODEL_SUMMARY))),
      { articles: 4, llm: { maxConcurrent: 1 } },
    );
    await build(ctx);
    expect(server!.requests).toHaveLength(4);
    expect(server!.maxInFlight).toBe(1);
  });
});

describe('summaries.llm configuration', () => {
  const base = (llm: Record<string, unknown>) => ({
    summaries: { llm: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', ...llm } },
  });

  it('documents its defaults and needs no key (a local server)', () => {
    const llm = parseConfig(base({}), {}).summaries.llm!;
    expect(llm).toMatchObject({ timeout: 60_000, maxConcurrent: 2, maxInputChars: 12_000 });
    expect(llm.apiKey).toBeUndefined();
    expect(llm.prompt).toContain('{maxWords}');
    expect(parseConfig({}, {}).summaries.llm).toBeUndefined();
  });

  it('takes the key only from an environment variable, never written in the file or as a fallback', () => {
    expect(parseConfig(base({ apiKey: '${LLM_API_KEY}' }), { LLM_API_KEY: 'sk-from-env' }).summaries.llm!.apiKey).toBe(
      'sk-from-env',
    );
    expect(() => parseConfig(base({ apiKey: 'sk-literal-key' }), {})).toThrow(
      /summaries\.llm\.apiKey: must be an environment variable reference/,
    );
    expect(() => parseConfig(base({ apiKey: '${LLM_API_KEY:-sk-default}' }), {})).toThrow(
      /summaries\.llm\.apiKey: must be an environment variable reference/,
    );
    expect(() => parseConfig(base({ apiKey: '${LLM_API_KEY}' }), {})).toThrow(
      /summaries\.llm\.apiKey: environment variable LLM_API_KEY is not set/,
    );
  });

  it('refuses a base URL that is not http(s), and unknown keys', () => {
    expect(() => parseConfig(base({ baseUrl: 'file:///etc/passwd' }), {})).toThrow(
      /summaries\.llm\.baseUrl: must be an http\(s\) URL/,
    );
    expect(() => parseConfig(base({ baseUrl: 'https://user:sk-secret@api.example.org/v1' }), {})).toThrow(
      /summaries\.llm\.baseUrl: must not hold credentials/,
    );
    expect(() => parseConfig(base({ temperature: 2 }), {})).toThrow(/summaries\.llm: unknown key "temperature"/);
    expect(() => parseConfig(base({ maxConcurrent: 0 }), {})).toThrow(/summaries\.llm\.maxConcurrent/);
  });
});
