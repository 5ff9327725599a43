import type { CategoryConfig, ClassifierOptions, SummaryOptions } from '../config/schema.ts';
import type { Logger } from '../core/logger.ts';
import { categorize, CategoryModel, SUMMARIZER_VERSION, summarize } from './index.ts';
import type { ArticleStore } from '../ingest/article-store.ts';
import type { ArticleRecord } from '../core/stored-article.ts';
import type { ArticleEnricher } from '../ingest/ingest-sources.ts';

export interface EnricherDeps {
  articles: Pick<ArticleStore, 'getCachedSummary' | 'putCachedSummary' | 'listTrainingExamples' | 'listArticles'>;
  categories: Record<string, CategoryConfig>;
  summaries: SummaryOptions;
  classifier: ClassifierOptions;
  logger: Logger;
}

/** The cache key covers the summarizer's code version and the options that shape its output. */
export function summaryCacheVersion(options: SummaryOptions): string {
  return `${SUMMARIZER_VERSION}/${options.maxWords}/${options.minSentences}-${options.maxSentences}/${options.preferSourceDescription ? 'src' : 'ext'}`;
}

type SummaryCache = Pick<ArticleStore, 'getCachedSummary' | 'putCachedSummary'>;

/** The extractive summarizer behind a cache keyed by content hash, code version and options. */
export class CachedSummarizer {
  readonly #version: string;

  constructor(
    private readonly cache: SummaryCache,
    private readonly options: SummaryOptions,
  ) {
    this.#version = summaryCacheVersion(options);
  }

  async summaryOf(
    article: Pick<ArticleRecord, 'title' | 'text' | 'description' | 'language' | 'contentHash'>,
  ): Promise<string | null> {
    if (!article.text && !article.description) return null;
    const cached = await this.cache.getCachedSummary(article.contentHash, this.#version);
    if (cached !== null) return cached || null;
    const { summary } = summarize(article, this.options);
    await this.cache.putCachedSummary(article.contentHash, this.#version, summary);
    return summary || null;
  }
}

/**
 * Summarizes (cached per content hash) and classifies articles at ingest. The
 * classifier learns the store's source-labelled articles once, then each batch's own
 * labelled articles as they pass (the model learns incrementally), so a new source
 * benefits from everything labelled so far without reading the store again.
 *
 * Its self-training pool (src/content/self-training.ts) is filled the same way: the
 * store's newest articles without a category (`classifier.maxUnlabelled`) once, then
 * each batch's articles to classify, before they are classified.
 */
export class StoreBackedEnricher implements ArticleEnricher {
  readonly #deps: EnricherDeps;
  readonly #summarizer: CachedSummarizer;
  #model: CategoryModel | null = null;
  #storeLoaded = false;
  readonly #learned = new Set<string>();
  readonly #pooled = new Set<string>();

  constructor(deps: EnricherDeps) {
    this.#deps = deps;
    this.#summarizer = new CachedSummarizer(deps.articles, deps.summaries);
  }

  async enrich(records: ArticleRecord[]): Promise<ArticleRecord[]> {
    const summarized: ArticleRecord[] = [];
    for (const record of records) summarized.push({ ...record, summary: await this.#summarizer.summaryOf(record) });
    const needsCategory = summarized.filter((record) => record.categoryOrigin === 'none');
    if (needsCategory.length === 0) return summarized;
    const model = await this.model(
      summarized.filter((record) => record.categoryOrigin === 'source'),
      needsCategory,
    );
    const rules = this.#keywordRules();
    return summarized.map((record) => {
      if (record.categoryOrigin !== 'none') return record;
      const decision = categorize(record, { model, rules, minConfidence: this.#deps.classifier.minConfidence });
      if (!decision) return record;
      return {
        ...record,
        categories: [decision.category, ...record.categories],
        categoryOrigin: 'classifier' as const,
      };
    });
  }

  /**
   * The model after learning the store (first call only), any new labelled examples
   * and any new articles to classify (`unlabelled`, for self-training).
   */
  async model(
    extra: readonly ArticleRecord[] = [],
    unlabelled: readonly ArticleRecord[] = [],
  ): Promise<CategoryModel | null> {
    if (!this.#storeLoaded) {
      this.#storeLoaded = true;
      this.#learn(await this.#deps.articles.listTrainingExamples());
      const limit = this.#deps.classifier.maxUnlabelled;
      // Newest first from the store; pooled oldest first, so later batches push out the oldest.
      if (limit > 0) this.#pool((await this.#deps.articles.listArticles({ uncategorized: true, limit })).reverse());
    }
    this.#learn(extra);
    this.#pool(unlabelled);
    return this.#model;
  }

  #pool(articles: readonly { id: string; title: string; text: string }[]): void {
    if (this.#deps.classifier.maxUnlabelled <= 0) return;
    for (const article of articles) {
      if (this.#pooled.has(article.id) || this.#learned.has(article.id)) continue;
      this.#pooled.add(article.id);
      this.#modelInstance().addUnlabelled({ title: article.title, text: article.text });
    }
  }

  #learn(examples: readonly { id: string; title: string; text: string; categories: string[] }[]): void {
    for (const example of examples) {
      if (this.#learned.has(example.id)) continue;
      const categories = example.categories.filter((slug) => slug in this.#deps.categories);
      if (categories.length === 0) continue;
      this.#learned.add(example.id);
      this.#modelInstance().add({ title: example.title, text: example.text, categories });
    }
    this.#deps.logger.debug({ examples: this.#learned.size }, 'classifier examples');
  }

  /** The model, created on first use (a model with nothing labelled predicts nothing). */
  #modelInstance(): CategoryModel {
    this.#model ??= new CategoryModel({
      minExamples: this.#deps.classifier.minExamples,
      minConfidence: this.#deps.classifier.minConfidence,
      labelShare: this.#deps.classifier.labelShare,
      maxUnlabelled: this.#deps.classifier.maxUnlabelled,
    });
    return this.#model;
  }

  #keywordRules(): Record<string, string[]> {
    const rules: Record<string, string[]> = {};
    for (const [slug, category] of Object.entries(this.#deps.categories))
      if (category.keywords.length) rules[slug] = category.keywords;
    return rules;
  }
}
