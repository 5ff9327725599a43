import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { TidingsError } from '../../core/errors.ts';
import { locatedCsvOptions } from '../located-csv.ts';

/** One record keyed by its lower-cased header, with the file line it starts on. */
export interface ImportFileRow {
  line: number;
  row: Record<string, string>;
}

export type ImportFileItem = ImportFileRow | { line: number; problem: string };

/**
 * Streams a CSV export with a header row, one record at a time (memory stays flat). A
 * malformed record is reported at its line and the reading goes on; `onHeader` sees the
 * header first and may refuse the whole file (it returns the reason; SUBSCRIBERS_INVALID is thrown).
 */
export async function* readImportFile(
  file: string,
  onHeader: (header: readonly string[]) => string | null,
): AsyncGenerator<ImportFileItem> {
  const problems: { line: number; problem: string }[] = [];
  const options = locatedCsvOptions((line, problem) => problems.push({ line, problem }), { relax_column_count: true });
  const input = createReadStream(file);
  const parser = input.pipe(parse(options));
  // A file that cannot be opened or read ends the parse with that error (pipe does not pass it on).
  input.on('error', (error) => parser.destroy(error));
  let header: string[] | null = null;
  try {
    yield* rows(parser as AsyncIterable<{ record: string[]; line: number }>);
  } catch (error) {
    if (error instanceof TidingsError) throw error;
    throw new TidingsError('SUBSCRIBERS_INVALID', `cannot read the file: ${(error as Error).message}`, {
      where: file,
      cause: error,
    });
  }
  yield* problems;

  async function* rows(records: AsyncIterable<{ record: string[]; line: number }>): AsyncGenerator<ImportFileItem> {
    for await (const { record, line } of records) {
      while (problems.length > 0 && problems[0]!.line < line) yield problems.shift()!;
      if (header === null) {
        header = record.map((column) => column.trim().toLowerCase());
        const refusal = onHeader(header);
        if (refusal) {
          parser.destroy();
          throw new TidingsError('SUBSCRIBERS_INVALID', `${refusal}; nothing was imported`, {
            where: `${file}:${line}`,
          });
        }
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((column, i) => {
        row[column] = record[i] ?? '';
      });
      yield { line, row };
    }
  }
}
