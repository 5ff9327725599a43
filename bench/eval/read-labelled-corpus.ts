import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { TidingsError } from '../../src/core/errors.ts';

/**
 * Reads an evaluation corpus laid out as `articles/<category>/<name>.txt` (line 1 the
 * title, then the text) with optional `summaries/<category>/<name>.txt` references.
 * Used by the bench scripts only; the product never reads this layout.
 */
export interface LabelledArticle {
  id: string;
  category: string;
  title: string;
  /** Paragraphs separated by blank lines, as in `Article.text`. */
  text: string;
  reference: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('windows-1252');

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (a superset of Latin-1 in practice). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export function readLabelledCorpus(dir: string): LabelledArticle[] {
  const articlesDir = join(dir, 'articles');
  if (!existsSync(articlesDir)) {
    throw new TidingsError('INPUT_INVALID', 'expected an articles/<category>/*.txt folder', { where: articlesDir });
  }
  const out: LabelledArticle[] = [];
  for (const category of readdirSync(articlesDir).sort()) {
    for (const name of readdirSync(join(articlesDir, category))
      .filter((f) => f.endsWith('.txt'))
      .sort()) {
      const raw = decodeText(readFileSync(join(articlesDir, category, name))).replace(/\r\n?/g, '\n');
      const newline = raw.indexOf('\n');
      const title = (newline < 0 ? raw : raw.slice(0, newline)).trim();
      const text = newline < 0 ? '' : raw.slice(newline + 1).trim();
      const summaryPath = join(dir, 'summaries', category, name);
      const reference = existsSync(summaryPath) ? decodeText(readFileSync(summaryPath)).trim() : null;
      out.push({ id: `${category}/${name}`, category, title, text, reference });
    }
  }
  return out;
}
