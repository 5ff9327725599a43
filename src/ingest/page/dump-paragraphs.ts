/**
 * Splits a plain-text page dump into paragraphs. Blank lines always separate; inside a
 * run of lines, each line is its own paragraph (how browsers' "save as text" and copy
 * write pages) unless the run is hard-wrapped, in which case wrapped lines are joined.
 * A short line (a subheading) is never joined to the text around it.
 */
const SENTENCE_END = /[.!?:;…"”»)\]]$/;

export function splitDumpParagraphs(text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f\t]/g, ' ')
    .replace(/[\u200b\u200e\u200f]/g, '')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim());

  const paragraphs: string[] = [];
  let block: string[] = [];
  const flush = () => {
    if (block.length > 0) paragraphs.push(...joinWrapped(block));
    block = [];
  };
  for (const line of lines) {
    if (line) block.push(line);
    else flush();
  }
  flush();
  return paragraphs;
}

function joinWrapped(lines: string[]): string[] {
  if (lines.length === 1) return lines;
  const width = Math.max(...lines.map((line) => line.length));
  // Hard-wrapped text fills its lines to a similar width and breaks them mid-sentence.
  if (width < 40 || width > 120) return lines;
  const isFull = (line: string) => line.length >= width * 0.7;
  const fullLines = lines.slice(0, -1).filter(isFull);
  const mostlyMidSentence =
    fullLines.length >= 2 && fullLines.filter((line) => !SENTENCE_END.test(line)).length * 2 > fullLines.length;

  const out: string[] = [];
  let current = lines[0]!;
  for (let index = 1; index < lines.length; index += 1) {
    const previous = lines[index - 1]!;
    const next = lines[index]!;
    const isLast = index === lines.length - 1;
    const continues =
      isFull(previous) &&
      !SENTENCE_END.test(previous) &&
      (/^[\p{Ll}\p{N}(,"'“«]/u.test(next) || (mostlyMidSentence && (isFull(next) || isLast)));
    if (continues) current = previous.endsWith('-') && /^\p{Ll}/u.test(next) ? current + next : `${current} ${next}`;
    else {
      out.push(current);
      current = next;
    }
  }
  out.push(current);
  return out;
}
