import path from 'node:path';
import type { FetchLimits, SourceConfig } from '../config/schema.ts';
import type { ArticleDraft } from '../core/article.ts';
import { SourceError, describeError } from '../core/errors.ts';
import { listFolderFiles } from './folder/list-folder-files.ts';
import { parseResource } from './parse-input.ts';
import { readInput } from './read-input.ts';
import type { HttpValidators } from './types.ts';

export interface SourceContent {
  drafts: ArticleDraft[];
  warnings: string[];
  /** A URL source whose server answered 304: nothing was parsed, the store keeps what it has. */
  notModified?: boolean;
  /** The validators of a URL source's response, to make the next fetch conditional. */
  validators?: HttpValidators;
}

export interface ReadSourceOptions {
  baseDir: string;
  limits: FetchLimits;
  /** Validators from the last complete response of this source's URL: fetch conditionally. */
  validators?: HttpValidators | null;
}

/**
 * Reads every article of one configured source. Any unreadable part fails the whole
 * source (with every reason listed) so that its ingest stays all-or-nothing.
 */
export async function readSource(source: SourceConfig, options: ReadSourceOptions): Promise<SourceContent> {
  const resolve = (p: string) => path.resolve(options.baseDir, p);
  if (source.type === 'folder') {
    const files = await listFolderFiles(resolve(source.path));
    const drafts: ArticleDraft[] = [];
    const warnings: string[] = [];
    const failures: string[] = [];
    for (const file of files) {
      try {
        const parsed = parseResource(await readInput(file, options.limits));
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
  const resource = await readInput(location, options.limits, source.url ? { validators: options.validators } : {});
  if (resource.notModified) return { drafts: [], warnings: [], notModified: true, validators: resource.validators };
  const parsed = parseResource(resource, source.type);
  return { drafts: parsed.drafts, warnings: parsed.warnings, validators: resource.validators };
}
