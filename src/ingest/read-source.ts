import path from 'node:path';
import type { FetchLimits, SourceConfig } from '../config/schema.ts';
import type { ArticleDraft } from '../core/article.ts';
import { SourceError, describeError } from '../core/errors.ts';
import { listFolderFiles } from './folder/list-folder-files.ts';
import type { PageExtractor } from './page/page-extractor.ts';
import { parseResource } from './parse-input.ts';
import { readInput } from './read-input.ts';

export interface SourceContent {
  drafts: ArticleDraft[];
  warnings: string[];
}

/**
 * Reads every article of one configured source. Any unreadable part fails the whole
 * source (with every reason listed) so that its ingest stays all-or-nothing.
 */
export async function readSource(
  source: SourceConfig,
  options: { baseDir: string; limits: FetchLimits; pages: PageExtractor },
): Promise<SourceContent> {
  const resolve = (p: string) => path.resolve(options.baseDir, p);
  if (source.type === 'folder') {
    const files = await listFolderFiles(resolve(source.path));
    const drafts: ArticleDraft[] = [];
    const warnings: string[] = [];
    const failures: string[] = [];
    for (const file of files) {
      try {
        const parsed = await parseResource(await readInput(file, options.limits), { pages: options.pages });
        drafts.push(...parsed.drafts);
        warnings.push(...parsed.warnings.map((w) => `${path.relative(options.baseDir, file)}: ${w}`));
      } catch (error) {
        failures.push(describeError(error));
      }
    }
    if (failures.length > 0) {
      throw new SourceError('SOURCE_PARSE', `${failures.length} of ${files.length} files failed:\n    ${failures.join('\n    ')}`, {
        where: source.path,
      });
    }
    return { drafts, warnings };
  }
  const location = source.url ?? resolve(source.path!);
  const parsed = await parseResource(await readInput(location, options.limits), { expect: source.type, pages: options.pages });
  return { drafts: parsed.drafts, warnings: parsed.warnings };
}
