import { collapseWhitespace } from '../html-to-text.ts';

/**
 * Lenient readers for the loosely typed fields that front matter and JSON articles
 * carry: a tag list may be a list or a comma-separated string, an author a string, an
 * object with a name, or a list of either.
 */
export function firstPresent(data: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = data[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export function toText(value: unknown): string | null {
  if (typeof value === 'string') return collapseWhitespace(value) || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return null;
}

export function toLabels(...values: unknown[]): string[] {
  const labels: string[] = [];
  for (const value of values) {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s*[,;]\s*/) : [value];
    for (const item of items) {
      const label = toText(typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : item);
      if (label) labels.push(label);
    }
  }
  return [...new Set(labels)];
}

export function toAuthor(value: unknown): string | null {
  const names = (Array.isArray(value) ? value : [value])
    .map((item) => toText(typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : item))
    .filter((name): name is string => Boolean(name));
  return names.length > 0 ? names.join(', ') : null;
}

export function toImageRef(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return toText((value as { url?: unknown; src?: unknown }).url ?? (value as { src?: unknown }).src);
  }
  if (Array.isArray(value)) return toImageRef(value[0]);
  return toText(value);
}
