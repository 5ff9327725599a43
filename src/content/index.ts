/** The language work of issue 3: sentence splitting, summaries, categories. */
export { splitSentences } from './split-sentences.ts';
export {
  summarize,
  leadSentences,
  SUMMARIZER_VERSION,
  DEFAULT_SUMMARIZE_OPTIONS,
  type SummarizeInput,
  type SummarizeOptions,
  type SummaryResult,
  type SummaryMethod,
} from './summarize.ts';
export { isUsableDescription } from './source-description.ts';
export { isEnglishArticle, looksEnglish } from './detect-language.ts';
export {
  CategoryModel,
  trainClassifier,
  type CategoryExample,
  type CategoryModelOptions,
  type CategoryPrediction,
} from './category-model.ts';
export { categorize, classifyWithRules, keywordHits, type CategoryDecision } from './categorize.ts';
