import Handlebars from 'handlebars';
import { TidingsError } from '../core/errors.ts';
import { registerHelpers, type RenderData, type TemplateMode } from './handlebars-helpers.ts';
import type { TemplateFile, TemplateFiles } from './template-files.ts';
import { instrumentPartial } from './mjml-error-location.ts';

export type CompiledTemplate = (context: object, data: RenderData) => string;

export interface CompiledTemplates {
  html: CompiledTemplate;
  text: CompiledTemplate;
  /** The HTML template with partials bracketed by markers: maps an MJML error to its partial. */
  instrumentedHtml: CompiledTemplate;
}

/** The line of a Handlebars parse error, from its fields or its message. */
function errorLine(error: unknown): number | null {
  const fromField = (error as { lineNumber?: unknown }).lineNumber;
  if (typeof fromField === 'number') return fromField;
  const fromMessage = /line (\d+)/.exec(String((error as Error)?.message ?? ''))?.[1];
  return fromMessage ? Number(fromMessage) : null;
}

export function templateError(file: TemplateFile, error: unknown, what = 'Handlebars syntax error'): TidingsError {
  const line = errorLine(error);
  // Handlebars puts the reason last, after "Parse error on line N:" and a code frame.
  const lines = String((error as Error)?.message ?? error)
    .split('\n')
    .filter(Boolean);
  const detail = lines.length > 1 && lines[0]!.endsWith(':') ? lines[lines.length - 1]! : (lines[0] ?? '');
  return new TidingsError('TEMPLATE_INVALID', `${what}: ${detail}`, {
    where: line ? `${file.path}:${line}` : file.path,
    cause: error,
  });
}

function checkSyntax(hb: typeof Handlebars, file: TemplateFile): void {
  try {
    // parse + precompile reports unbalanced blocks and bad expressions now, not at the first send.
    hb.precompile(file.source, { strict: false });
  } catch (error) {
    throw templateError(file, error);
  }
}

interface AstNode {
  type?: string;
  loc?: { start: { line: number } };
  name?: AstNode & { original?: string };
  path?: AstNode & { original?: string; parts?: string[]; data?: boolean };
  params?: unknown[];
  hash?: unknown;
}

/**
 * Names a partial or helper that does not exist with the file and line that uses it;
 * otherwise Handlebars only says so while rendering, without saying where.
 */
function checkReferences(hb: typeof Handlebars, file: TemplateFile, partialNames: ReadonlySet<string>): void {
  const problem = (node: AstNode, message: string) =>
    new TidingsError('TEMPLATE_INVALID', message, { where: `${file.path}:${node.loc?.start.line ?? 1}` });
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as AstNode;
    if (node.type === 'PartialStatement' && node.name?.type === 'PathExpression') {
      const name = node.name.original ?? '';
      if (!name.startsWith('@') && !partialNames.has(name))
        throw problem(node, `unknown partial "${name}" (partials: ${[...partialNames].join(', ')})`);
    }
    if (
      (node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression') &&
      node.path?.type === 'PathExpression'
    ) {
      const callsHelper = node.type === 'SubExpression' || (node.params?.length ?? 0) > 0 || Boolean(node.hash);
      const { parts = [], data, original = '' } = node.path;
      if (callsHelper && !data && parts.length === 1 && !(original in hb.helpers))
        throw problem(node, `unknown helper "${original}"`);
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') visit(child);
  };
  visit(hb.parse(file.source));
}

function compileMode(
  mode: TemplateMode,
  main: TemplateFile,
  partials: Map<string, TemplateFile>,
  instrument = false,
): CompiledTemplate {
  const hb = Handlebars.create();
  registerHelpers(hb, mode);
  const names = new Set(partials.keys());
  for (const [name, file] of partials) {
    checkSyntax(hb, file);
    checkReferences(hb, file, names);
    const partial = hb.compile(file.source, { noEscape: mode === 'text', preventIndent: true });
    // Wrapping the compiled function (not the source) keeps Handlebars' standalone-line rules intact.
    hb.registerPartial(name, instrument ? instrumentPartial(name, partial) : partial);
  }
  checkSyntax(hb, main);
  checkReferences(hb, main, names);
  const template = hb.compile(main.source, { noEscape: mode === 'text', preventIndent: true });
  return (context, data) => template(context, { data, allowProtoPropertiesByDefault: false });
}

export function compileTemplates(files: TemplateFiles): CompiledTemplates {
  return {
    html: compileMode('html', files.html, files.htmlPartials),
    text: compileMode('text', files.text, files.textPartials),
    instrumentedHtml: compileMode('html', files.html, files.htmlPartials, true),
  };
}
