import Handlebars from 'handlebars';
import { TidingsError } from '../core/errors.ts';
import { registerHelpers, type RenderData } from './handlebars-helpers.ts';

/**
 * Subject and preheader: Handlebars strings from the newsletter configuration, rendered
 * as plain text (no HTML escaping: they go into a header and into an escaped template
 * slot), then stripped of newlines and capped so no source field can forge a header.
 */
export const HEADER_LINE_MAX = 150;

const hb = Handlebars.create();
registerHelpers(hb, 'text');
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function cleanHeaderLine(value: string, max = HEADER_LINE_MAX): string {
  // Control characters (CR, LF, tabs, NUL…) and Unicode line/paragraph separators become spaces.
  const flat = value
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length <= max
    ? flat
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

export function renderHeaderLine(source: string, context: object, data: RenderData, where: string): string {
  let template = compiled.get(source);
  if (!template) {
    try {
      hb.precompile(source);
    } catch (error) {
      throw new TidingsError(
        'TEMPLATE_INVALID',
        `Handlebars syntax error: ${String((error as Error).message).split('\n')[0]}`,
        { where, cause: error },
      );
    }
    template = hb.compile(source, { noEscape: true });
    compiled.set(source, template);
  }
  try {
    return cleanHeaderLine(template(context, { data }));
  } catch (error) {
    throw new TidingsError('TEMPLATE_INVALID', `cannot render: ${(error as Error).message}`, { where, cause: error });
  }
}
