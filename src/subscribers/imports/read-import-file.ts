import { createReadStream } from 'node:fs';
import { parse, type CsvError, type Options } from 'csv-parse';
import { TidingsError } from '../../core/errors.ts';

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
  let previousEnd = 0;
  let previousEmpty = 0;
  let lastProblemLine = 0;
  const options: Options<{ record: string[]; line: number }, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context) => {
      const line = previousEnd + 1 + (context.empty_lines - previousEmpty);
      previousEnd = context.lines;
      previousEmpty = context.empty_lines;
      return { record, line };
    },
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      const line = (error as { lines?: number }).lines ?? previousEnd + 1;
      // The parser may report one broken record twice: one refusal per line.
      if (line !== lastProblemLine)
        problems.push({ line, problem: `CSV: ${error.message.replace(/ on line \d+$/, '')}` });
      lastProblemLine = line;
      previousEnd = line;
    },
  };
  const input = createReadStream(file);
  const parser = input.pipe(parse(options as unknown as Options));
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
