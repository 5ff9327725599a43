import type { ArticleDraft } from '../../core/article.ts';
import type { ErrorCode } from '../../core/errors.ts';

/** One page sent to the extraction worker. */
export interface PageJob {
  id: number;
  html: string;
  url: string | null;
  /** How to name the page in errors (the file path or URL). */
  name: string;
}

/** What the worker answers for a job. */
export type PageJobResult =
  | { id: number; ok: true; draft: ArticleDraft }
  | { id: number; ok: false; code: ErrorCode; message: string; where: string | null };
