import { basename, extname } from 'node:path';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import { collapseWhitespace } from '../html-to-text.ts';
import { splitDumpParagraphs } from './dump-paragraphs.ts';
import { guessLanguage } from './guess-language.ts';
import { isInterfaceLine } from './interface-lines.ts';
import { parseDate } from '../../core/parse-date.ts';
import { dominantScript, isMostlyOtherScript, type ScriptName } from './text-script.ts';

/**
 * Reads a news page saved as plain text: finds the title (and the site name when the
 * first line is `Title / Section / Site`), drops repeated titles and the site's
 * interface text, lifts a byline, a date line and a tags line into metadata, and keeps
 * the story's paragraphs (subheadings as paragraphs of their own).
 *
 * The rules are positional and general: interface phrases are dropped anywhere; bylines,
 * dates, tags, photo credits and short lines in another script than the story only in
 * the head or the tail, i.e. before the first or after the last real paragraph.
 */
const HEAD_WINDOW = 8;
const ANY_SEPARATOR = /\s+[/|—–·•»-]\s+/;
const STRONG_SEPARATOR = /\s+[/|·•]\s+/;
const BYLINE = /^(?:by|written by|von|par|por|di|door|av|af|author|автор|авторы|текст)\s*:?\s+(.+)$/iu;
const TAGS =
  /^(?:tags|tagged|topics|keywords|теги|метки|темы|ключевые слова|schlagwörter|themen|étiquettes|mots-clés|etiquetas|temas)\s*:\s*(.+)$/iu;
const CREDIT =
  /^(?:photo|photos|image|illustration|video|фото|видео|иллюстрация|foto|bild|source of photo)\s*(?:credit)?\s*:/iu;

export function parsePageDump(text: string, options: { fileName: string }): ArticleDraft {
  const all = splitDumpParagraphs(text);
  if (all.length === 0) throw new SourceError('SOURCE_PARSE', 'the page dump is empty', { where: options.fileName });
  const bodyScript = dominantScript(all.filter((unit) => unit.length >= 80).join(' ') || all.join(' '));
  let units = all.filter((unit) => !isInterfaceLine(unit));

  const heading = findHeading(units, bodyScript);
  const title = heading.title ?? titleFromFileName(options.fileName);
  const same = (unit: string) =>
    sameText(unit, title) || (heading.siteLine !== null && sameText(unit, heading.siteLine));

  // Whatever precedes the title's last repeat at the top (breadcrumbs, section names,
  // ratings) is page furniture; bylines and dates there are read before it goes.
  let author: string | null = null;
  let publishedAt: string | null = null;
  const labels = [...heading.sections];
  const readMetadata = (unit: string): boolean => {
    const found = readBylineOrDate(unit);
    if (found.author !== undefined || found.date !== undefined) {
      author ??= found.author ?? null;
      publishedAt ??= found.date ?? null;
      return true;
    }
    const tags = TAGS.exec(unit);
    if (tags) {
      labels.push(
        ...tags[1]!
          .split(/\s*[,;|•·]\s*/)
          .map((tag) => tag.trim())
          .filter(Boolean),
      );
      return true;
    }
    return false;
  };

  const lastTitleAtTop = lastIndexWithin(units, same, HEAD_WINDOW);
  units = units.filter((unit, index) => {
    if (same(unit)) return false;
    if (index < lastTitleAtTop) return !readMetadata(unit) && unit.length > 100;
    return true;
  });

  const core = units.map((unit) => isCoreParagraph(unit, bodyScript));
  const first = core.indexOf(true);
  const last = core.lastIndexOf(true);
  units = units.filter((unit, index) => {
    const atEdge = first < 0 || index < first || index > last;
    if (!atEdge) return true;
    if (index < first && index > HEAD_WINDOW + 2 && last >= 0) return true;
    if (readMetadata(unit)) return false;
    if (CREDIT.test(unit) && unit.length <= 120) return false;
    if (bodyScript && unit.length <= 150 && isMostlyOtherScript(unit, bodyScript)) return false;
    return true;
  });

  const body = units.join('\n\n');
  return {
    url: null,
    title,
    text: body,
    description: null,
    publishedAt,
    labels: uniqueIgnoringCase(labels),
    author,
    imageUrl: null,
    language: guessLanguage(body),
    siteName: heading.siteName,
  };
}

interface Heading {
  title: string | null;
  siteName: string | null;
  /** Middle parts of a `Title / Section / Site` line. */
  sections: string[];
  /** The whole `Title / … / Site` line, so its repeats can be dropped too. */
  siteLine: string | null;
}

function findHeading(units: string[], bodyScript: ScriptName | null): Heading {
  const first = units[0] ?? '';
  // Confirmed: the first line starts with a title that the page repeats below it.
  for (let index = 1; index < Math.min(HEAD_WINDOW, units.length); index += 1) {
    const candidate = units[index]!;
    if (candidate.length >= first.length || !sameText(first.slice(0, candidate.length), candidate)) continue;
    const rest = first.slice(candidate.length);
    const separator = /^\s*[/|—–·•»:-]\s+/.exec(rest);
    if (separator)
      return {
        title: candidate,
        ...splitSiteParts(rest.slice(separator[0].length).split(ANY_SEPARATOR)),
        siteLine: first,
      };
  }
  // Unconfirmed: only separators that titles rarely contain, and a short last part.
  const parts = first.split(STRONG_SEPARATOR);
  if (parts.length >= 2 && first.length <= 250 && !/[.!?]$/.test(first) && parts.at(-1)!.split(' ').length <= 6) {
    return { title: parts[0]!, ...splitSiteParts(parts.slice(1)), siteLine: first };
  }
  // No site line: the first short line in the story's script is the title.
  const title = units
    .slice(0, HEAD_WINDOW)
    .find(
      (unit) =>
        unit.length <= 250 && !(bodyScript && isMostlyOtherScript(unit, bodyScript)) && !readBylineOrDate(unit).matched,
    );
  return { title: title ?? null, siteName: null, sections: [], siteLine: null };
}

function splitSiteParts(parts: string[]): { siteName: string | null; sections: string[] } {
  const clean = parts.map((part) => part.trim()).filter(Boolean);
  return { siteName: clean.at(-1) ?? null, sections: clean.slice(0, -1) };
}

function readBylineOrDate(unit: string): { author?: string; date?: string; matched: boolean } {
  if (unit.length > 120) return { matched: false };
  const date = parseDate(unit);
  if (date) return { date, matched: true };
  const parts = unit.split(/\s+[|·•—–]\s+|\s*,\s+(?=\p{Lu}?\p{Ll}*\s*\d)/u);
  const byline = BYLINE.exec(parts[0]!);
  const rest = parts.slice(1).join(' ');
  const restDate = rest ? parseDate(rest) : null;
  if (byline && looksLikeName(byline[1]!)) {
    return { author: byline[1]!.trim(), ...(restDate ? { date: restDate } : {}), matched: true };
  }
  // "Jane Doe | 12 March 2019": a name beside a date.
  if (restDate && looksLikeName(parts[0]!)) return { author: parts[0]!.trim(), date: restDate, matched: true };
  return { matched: false };
}

function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return (
    text.length <= 80 &&
    words.length <= 8 &&
    !/[.!?]$/.test(text.trim().replace(/\b\p{Lu}\.$/u, '')) &&
    /^\p{Lu}/u.test(text.trim())
  );
}

function isCoreParagraph(unit: string, script: ScriptName | null): boolean {
  return unit.length >= 100 && /[.!?…"”»]/.test(unit) && !(script && isMostlyOtherScript(unit, script));
}

function lastIndexWithin(units: string[], predicate: (unit: string) => boolean, window: number): number {
  let found = -1;
  for (let index = 0; index < Math.min(window, units.length); index += 1) if (predicate(units[index]!)) found = index;
  return found;
}

function uniqueIgnoringCase(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sameText(a: string, b: string): boolean {
  return collapseWhitespace(a).toLowerCase() === collapseWhitespace(b).toLowerCase();
}

function titleFromFileName(fileName: string): string {
  const stem = basename(fileName, extname(fileName)).replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '');
  return collapseWhitespace(stem.replace(/[-_]+/g, ' ')) || basename(fileName);
}
