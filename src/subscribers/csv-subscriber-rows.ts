import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { locatedCsvOptions, type LocatedRecord } from './located-csv.ts';
import type { SubscriberRowItem } from './subscriber-file-problem.ts';
import { parseSubscriberRow, SUBSCRIBER_FIELDS, type SubscriberCatalog } from './subscriber-row.ts';

/**
 * Streams a CSV list with a header row. Memory stays flat whatever the file size:
 * records are parsed and validated one at a time. Line numbers are those of the
 * first line of each record (a quoted cell may span lines).
 */
export async function* readCsvSubscriberRows(
  file: string,
  catalog: SubscriberCatalog | null,
): AsyncGenerator<SubscriberRowItem> {
  const skipped: SubscriberRowItem[] = [];
  const options = locatedCsvOptions(
    (line, message) => skipped.push({ error: { file, line, message }, email: null, wholeFile: false }),
    { trim: true },
  );
  const parser = createReadStream(file).pipe(parse(options));

  let header: string[] | null = null;
  let lastLine = 0;
  try {
    for await (const { record, line } of parser as AsyncIterable<LocatedRecord>) {
      lastLine = line;
      // Report skipped records in line order, among the others.
      while (skipped.length > 0 && errorLine(skipped[0]!) < line) yield skipped.shift()!;
      if (header === null) {
        // Case-insensitive, so `firstName` (as `subscribers export` writes it) and `firstname` both read.
        header = record.map((cell) => fieldNamed(cell.trim().toLowerCase()));
        const problem = checkHeader(header);
        if (problem) {
          yield { error: { file, line, message: `${problem}; the file was not read` }, email: null, wholeFile: true };
          parser.destroy();
          return;
        }
        continue;
      }
      const raw: Record<string, string> = {};
      header.forEach((column, i) => {
        raw[column] = record[i] ?? '';
      });
      const parsed = parseSubscriberRow(raw, catalog);
      if (parsed.ok) {
        yield { row: parsed.row, file, line };
      } else {
        yield {
          error: { file, line, message: parsed.problems.map((p) => p.message).join('; ') },
          email: parsed.email,
          wholeFile: false,
        };
      }
    }
  } catch (error) {
    yield {
      error: { file, line: lastLine + 1, message: `CSV: ${(error as Error).message}` },
      email: null,
      wholeFile: true,
    };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

function fieldNamed(column: string): string {
  return SUBSCRIBER_FIELDS.find((field) => field.toLowerCase() === column) ?? column;
}

function errorLine(item: SubscriberRowItem): number {
  return 'error' in item ? item.error.line : item.line;
}

function checkHeader(header: readonly string[]): string | null {
  const known = new Set<string>(SUBSCRIBER_FIELDS);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    // An export of another platform (Mailchimp's "Email Address"…) is read by `subscribers import`, not synced.
    const hint = header.includes('email')
      ? ''
      : "; to bring in another platform's export use: tidings subscribers import FILE --from …";
    return `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} (known: ${SUBSCRIBER_FIELDS.join(', ')})${hint}`;
  }
  const repeated = header.filter((column, i) => header.indexOf(column) !== i);
  if (repeated.length > 0) return `column "${repeated[0]}" appears twice`;
  const missing = ['email', 'newsletters'].filter((column) => !header.includes(column));
  if (missing.length > 0) return `the header has no ${missing.map((c) => `"${c}"`).join(' or ')} column`;
  return null;
}
