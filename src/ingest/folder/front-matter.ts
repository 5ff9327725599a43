import { parseDocument } from 'yaml';
import { SourceError } from '../../core/errors.ts';

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** Line number (1-based) where the body starts in the file. */
  bodyLine: number;
  /** The file line of each top-level key, for errors about a field's value. */
  keyLines: Map<string, number>;
}

/**
 * Splits YAML front matter (`---` … `---` or `...` at the top of the file) from the
 * Markdown body. Errors name the file and the line in the file, not in the block.
 */
export function splitFrontMatter(text: string, fileName: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { data: {}, body: source, bodyLine: 1, keyLines: new Map() };
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) {
    throw new SourceError('SOURCE_PARSE', 'front matter opened with --- is never closed', { where: `${fileName}:1` });
  }
  const yamlText = lines.slice(1, end).join('\n');
  const document = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const error = document.errors[0];
  if (error) {
    const offset = error.pos[0] ?? 0;
    const line = yamlText.slice(0, offset).split('\n').length + 1; // +1 for the opening ---
    throw new SourceError('SOURCE_PARSE', `invalid front matter: ${error.message.split('\n')[0]}`, {
      where: `${fileName}:${line}`,
    });
  }
  const data: unknown = document.toJS();
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new SourceError('SOURCE_PARSE', 'front matter must be a mapping of fields (key: value)', {
      where: `${fileName}:2`,
    });
  }
  const keyLines = new Map<string, number>();
  lines.slice(1, end).forEach((line, index) => {
    const key = /^["']?([^\s:"'#][^:"']*?)["']?\s*:/.exec(line)?.[1];
    if (key && !keyLines.has(key)) keyLines.set(key, index + 2);
  });
  return {
    data: (data ?? {}) as Record<string, unknown>,
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
    keyLines,
  };
}
