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
  const detail = String((error as Error)?.message ?? error).split('\n')[0];
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

function compileMode(mode: TemplateMode, main: TemplateFile, partials: Map<string, TemplateFile>, instrument = false): CompiledTemplate {
  const hb = Handlebars.create();
  registerHelpers(hb, mode);
  for (const [name, file] of partials) {
    checkSyntax(hb, file);
    const partial = hb.compile(file.source, { noEscape: mode === 'text', preventIndent: true });
    // Wrapping the compiled function (not the source) keeps Handlebars' standalone-line rules intact.
    hb.registerPartial(name, instrument ? instrumentPartial(name, partial) : partial);
  }
  checkSyntax(hb, main);
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
