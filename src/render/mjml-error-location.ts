import type { TemplateFile } from './template-files.ts';

/**
 * MJML reports lines of the generated MJML, not of the .hbs files it came from. On that
 * (rare) error path the templates are rendered once more with each partial wrapped in
 * invisible markers: the marker stack at a generated line names the file that wrote it.
 * Within that file, the line whose literal text before its first `{{` is the longest
 * prefix of the generated line is the one reported.
 */
export const MARK_OPEN = '\u0001';
export const MARK_CLOSE = '\u0002';
const MARK_END = '\u0003';

/** Wraps a compiled partial so its output is bracketed by markers carrying its name. */
export function instrumentPartial<Args extends unknown[]>(
  name: string,
  partial: (...args: Args) => string,
): (...args: Args) => string {
  return (...args) => `${MARK_OPEN}${name}${MARK_CLOSE}${partial(...args)}${MARK_END}`;
}

/** For each generated line (1-based index), the partial name that wrote it, or null for the main template. */
function lineOwners(instrumented: string): { owners: (string | null)[]; clean: string[] } {
  const owners: (string | null)[] = [null];
  const clean: string[] = [''];
  const stack: string[] = [];
  let ownerSet = false;
  for (let i = 0; i < instrumented.length; i++) {
    const char = instrumented[i]!;
    if (char === MARK_OPEN) {
      const close = instrumented.indexOf(MARK_CLOSE, i);
      stack.push(instrumented.slice(i + 1, close));
      i = close;
    } else if (char === MARK_END) {
      stack.pop();
    } else if (char === '\n') {
      owners.push(null);
      clean.push('');
      ownerSet = false;
    } else {
      clean[clean.length - 1] += char;
      if (!ownerSet && char.trim()) {
        owners[owners.length - 1] = stack.at(-1) ?? null;
        ownerSet = true;
      }
    }
  }
  return { owners, clean };
}

function bestLine(generatedLine: string, file: TemplateFile): number | null {
  const target = generatedLine.trim();
  let best: { line: number; length: number } | null = null;
  file.source.split('\n').forEach((text, index) => {
    const literal = text.trim().split('{{')[0]!.trimEnd();
    if (literal.length < 2 || !target.startsWith(literal)) return;
    if (!best || literal.length > best.length) best = { line: index + 1, length: literal.length };
  });
  return best ? (best as { line: number }).line : null;
}

export function locateGeneratedLine(
  line: number,
  instrumented: string,
  main: TemplateFile,
  partials: Map<string, TemplateFile>,
): { file: TemplateFile; line: number | null } {
  const { owners, clean } = lineOwners(instrumented);
  const owner = owners[line - 1];
  const file = (owner ? partials.get(owner) : undefined) ?? main;
  return { file, line: bestLine(clean[line - 1] ?? '', file) };
}
