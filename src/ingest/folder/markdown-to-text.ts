import { collapseWhitespace, htmlToText } from '../html-to-text.ts';

/**
 * Turns a Markdown body into the plain paragraphs an Article carries: headings and
 * list items become paragraphs of their own, emphasis and link markup are dropped
 * (links keep their text), images are left out (their URL is reported separately),
 * code blocks are kept verbatim, HTML blocks go through htmlToText.
 */
export interface MarkdownText {
  paragraphs: MarkdownParagraph[];
  /** The first image's URL as written, for a lead image. */
  firstImage: string | null;
}

export interface MarkdownParagraph {
  text: string;
  /** 1–6 for headings, 0 otherwise. */
  headingLevel: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const SETEXT = /^ {0,3}(=+|-+)\s*$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

export function markdownToText(markdown: string): MarkdownText {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const references = collectReferences(lines);
  const paragraphs: MarkdownParagraph[] = [];
  let firstImage: string | null = null;
  let buffer: string[] = [];

  const inline = (text: string) => {
    const result = renderInline(text, references);
    firstImage ??= result.image;
    return result.text;
  };
  const flush = () => {
    const text = collapseWhitespace(inline(buffer.join(' ')));
    if (text) paragraphs.push({ text, headingLevel: 0 });
    buffer = [];
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      const marker = fence[1]!;
      for (index += 1; index < lines.length && !lines[index]!.trimStart().startsWith(marker); index += 1)
        code.push(lines[index]!);
      const text = code.join('\n').replace(/^\n+|\s+$/g, '');
      if (text) paragraphs.push({ text, headingLevel: 0 });
      continue;
    }
    if (!line.trim() || /^\s*\[[^\]]+\]:\s*\S+/.test(line)) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const text = collapseWhitespace(inline(heading[2] ?? ''));
      if (text) paragraphs.push({ text, headingLevel: heading[1]!.length });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && buffer.length > 0) {
      const text = collapseWhitespace(inline(buffer.join(' ')));
      buffer = [];
      if (text) paragraphs.push({ text, headingLevel: setext[1]!.startsWith('=') ? 1 : 2 });
      continue;
    }
    if (RULE.test(line) || (TABLE_DIVIDER.test(line) && line.includes('|'))) {
      flush();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      buffer.push(item[1]!);
      continue;
    }
    if (/^\s*</.test(line) && buffer.length === 0) {
      // An HTML block runs to the next blank line.
      const html: string[] = [];
      for (; index < lines.length && lines[index]!.trim(); index += 1) html.push(lines[index]!);
      for (const paragraph of htmlToText(html.join('\n')).split('\n\n')) {
        if (paragraph) paragraphs.push({ text: paragraph, headingLevel: 0 });
      }
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      flush();
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim())
        .filter(Boolean);
      const text = collapseWhitespace(inline(cells.join(' · ')));
      if (text) paragraphs.push({ text, headingLevel: 0 });
      continue;
    }
    buffer.push(line.replace(/^\s*>\s?/, '').replace(/^\s*>\s?/, ''));
  }
  flush();
  return { paragraphs, firstImage };
}

function collectReferences(lines: string[]): Map<string, string> {
  const references = new Map<string, string>();
  for (const line of lines) {
    const match = /^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+["'(].*["')])?\s*$/.exec(line);
    if (match) references.set(match[1]!.toLowerCase(), match[2]!);
  }
  return references;
}

/** Inline markup → text. Code spans are protected first so their content stays literal. */
function renderInline(source: string, references: Map<string, string>): { text: string; image: string | null } {
  const codeSpans: string[] = [];
  let image: string | null = null;
  let text = source.replace(/(`+)(.+?)\1/g, (_match, _ticks, code: string) => {
    codeSpans.push(code.trim());
    return `\u0001${codeSpans.length - 1}\u0001`;
  });
  text = text
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, (_match, char: string) => `\u0002${char.charCodeAt(0)}\u0002`)
    .replace(
      /!\[([^\]]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+["'][^"']*["'])?\s*\)/g,
      (_match, _alt, url: string) => {
        image ??= url;
        return ' ';
      },
    )
    .replace(/!\[([^\]]*)\]\[([^\]]*)\]/g, (_match, alt: string, ref: string) => {
      image ??= references.get((ref || alt).toLowerCase()) ?? null;
      return ' ';
    })
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)(.+?)(?<=\S)\*(?![\p{L}\p{N}*])/gu, '$1$2')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1$2');
  text = htmlToText(`<p>${text.replace(/</g, '&lt;')}</p>`)
    .replace(/\u0002(\d+)\u0002/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/\u0001(\d+)\u0001/g, (_match, index: string) => codeSpans[Number(index)] ?? '');
  return { text, image };
}
