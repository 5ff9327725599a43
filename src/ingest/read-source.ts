import path from 'node:path';
import type { SourceConfig } from '../config/schema.ts';
import type { ArticleDraft } from '../core/article.ts';
import { SourceError, describeError, isTidingsError, type ErrorCode } from '../core/errors.ts';
import type { HttpClient } from '../core/http/http-client.ts';
import { listFolderFiles } from './folder/list-folder-files.ts';
import type { PageExtractor } from './page/page-extractor.ts';
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
  /** The HTTP client, with the `fetch` limits (files get its size limit too). */
  http: HttpClient;
  /** Validators from the last complete response of this source's URL: fetch conditionally. */
  validators?: HttpValidators | null;
  /** The caller's page extractor (it owns the worker thread and closes it). */
  pages: PageExtractor;
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
    const codes = new Set<ErrorCode>();
    for (const file of files) {
      try {
        const parsed = await parseResource(await readInput(file, options.http), { pages: options.pages });
        drafts.push(...parsed.drafts);
        warnings.push(...parsed.warnings.map((w) => `${path.relative(options.baseDir, file)}: ${w}`));
      } catch (error) {
        failures.push(describeError(error));
        codes.add(isTidingsError(error) ? error.code : 'SOURCE_PARSE');
      }
    }
    if (failures.length > 0) {
      // Files failing for one reason (a page over the parse budget) give the source that code.
      const code = codes.size === 1 ? [...codes][0]! : 'SOURCE_PARSE';
      throw new SourceError(
        code,
        `${failures.length} of ${files.length} files failed:\n    ${failures.join('\n    ')}`,
        {
          where: source.path,
        },
      );
    }
    return { drafts, warnings };
  }
  const location = source.url ?? resolve(source.path!);
  const resource = await readInput(location, options.http, source.url ? { validators: options.validators } : {});
  if (resource.notModified) return { drafts: [], warnings: [], notModified: true, validators: resource.validators };
  const parsed = await parseResource(resource, { expect: source.type, pages: options.pages });
  return { drafts: parsed.drafts, warnings: parsed.warnings, validators: resource.validators };
}
