import type { TemplateFile } from './template-files.ts';

/**
 * MJML reports lines of the generated MJML, not of the .hbs files it came from. To name
 * the template file and line, look for the template line whose literal text before its
 * first `{{` is the longest prefix of the generated line: a misplaced `<mj-text …>` is
 * found in the partial that wrote it.
 */
export function locateGeneratedLine(generatedLine: string, sources: TemplateFile[]): { file: TemplateFile; line: number } | null {
  const target = generatedLine.trim();
  if (!target) return null;
  let best: { file: TemplateFile; line: number; length: number } | null = null;
  for (const file of sources) {
    const lines = file.source.split('\n');
    lines.forEach((text, index) => {
      const literal = text.trim().split('{{')[0]!.trimEnd();
      if (literal.length < 4 || !target.startsWith(literal)) return;
      if (!best || literal.length > best.length) best = { file, line: index + 1, length: literal.length };
    });
  }
  return best ? { file: (best as { file: TemplateFile }).file, line: (best as { line: number }).line } : null;
}
