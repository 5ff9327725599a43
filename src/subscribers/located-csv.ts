import type { CsvError, Options } from 'csv-parse';

/** A CSV record with the file line it starts on (a quoted cell may span lines). */
export interface LocatedRecord {
  record: string[];
  line: number;
}

/**
 * csv-parse options that give each record its first line and report each malformed record
 * once, at its line, while the parse goes on. The bookkeeping lives in the parser's
 * callbacks, in parse order: a consumer runs behind the parser and cannot track lines.
 */
export function locatedCsvOptions(
  onProblem: (line: number, message: string) => void,
  extra: Partial<Options> = {},
): Options {
  let previousEnd = 0;
  let previousEmpty = 0;
  let lastProblemLine = 0;
  return {
    ...extra,
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: { lines: number; empty_lines: number }): LocatedRecord => {
      const line = previousEnd + 1 + (context.empty_lines - previousEmpty);
      previousEnd = context.lines;
      previousEmpty = context.empty_lines;
      return { record, line };
    },
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      const line = (error as CsvError & { lines?: number }).lines ?? previousEnd + 1;
      // The parser may report one broken record twice: one problem per line.
      if (line !== lastProblemLine) onProblem(line, `CSV: ${error.message.replace(/ on line \d+$/, '')}`);
      lastProblemLine = line;
      previousEnd = line;
    },
  } as unknown as Options;
}
