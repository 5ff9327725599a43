import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { SubscriberRowItem } from './subscriber-file-problem.ts';
import { parseSubscriberRow, type SubscriberCatalog } from './subscriber-row.ts';

/** Alias uses allowed when expanding one row (the yaml package's default). */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads a YAML list: a sequence of mappings, or `{ subscribers: [...] }`.
 * YAML is parsed whole (it has no streaming form); large lists belong in CSV.
 * A bad row is reported at the line of its first bad field, else of the row.
 */
export async function* readYamlSubscriberRows(
  file: string,
  catalog: SubscriberCatalog | null,
): AsyncGenerator<SubscriberRowItem> {
  const text = await readFile(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line ?? 0;
      yield {
        error: { file, line, message: `YAML syntax: ${error.message.split('\n')[0]}` },
        email: null,
        wholeFile: true,
      };
    }
    return;
  }
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);

  let list: Node | null = doc.contents;
  if (list === null || (isScalar(list) && list.value === null)) return; // an empty file lists nobody
  if (isMap(list)) {
    const unknown = list.items.filter((pair) => !(isScalar(pair.key) && pair.key.value === 'subscribers'));
    for (const pair of unknown) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      yield {
        error: {
          file,
          line: lineOf(pair.key as Node),
          message: `unknown top-level key "${key}" (expected "subscribers")`,
        },
        email: null,
        wholeFile: true,
      };
    }
    if (unknown.length > 0) return;
    list = (list.get('subscribers', true) as Node | undefined) ?? null;
    if (list === null || (isScalar(list) && list.value === null)) return;
  }
  if (!isSeq(list)) {
    yield {
      error: {
        file,
        line: lineOf(list),
        message: 'expected a list of subscribers, or a mapping with a "subscribers" list',
      },
      email: null,
      wholeFile: true,
    };
    return;
  }
  for (const item of list.items as Node[]) {
    const line = lineOf(item);
    if (!isMap(item)) {
      yield {
        error: { file, line, message: 'a subscriber must be a mapping with at least email and newsletters' },
        email: null,
        wholeFile: false,
      };
      continue;
    }
    let fields: unknown;
    try {
      // yaml counts alias uses while expanding: an alias bomb stops here, not in memory.
      fields = item.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      yield {
        error: {
          file,
          line,
          message: `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} alias uses): refused as a possible alias bomb`,
        },
        email: null,
        wholeFile: true,
      };
      return;
    }
    const parsed = parseSubscriberRow(fields, catalog);
    if (parsed.ok) {
      yield { row: parsed.row, file, line };
      continue;
    }
    // One error per bad row (so skipped rows can be counted), at the line of its first bad field.
    const first = parsed.problems[0];
    const at = first?.field ? lineOfField(item, first.field, lineOf) : 0;
    const message = parsed.problems.map((problem) => problem.message).join('; ');
    yield { error: { file, line: at || line, message }, email: parsed.email, wholeFile: false };
  }
}

function lineOfField(map: YAMLMap, field: string, lineOf: (node: Node | null | undefined) => number): number {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === field);
  return pair ? lineOf(pair.key as Node) : 0;
}
