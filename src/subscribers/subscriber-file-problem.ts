import type { SubscriberRow } from './subscriber-row.ts';

/** A bad row or file: `line` is 1-based; 0 means the file as a whole. */
export interface SubscriberFileProblem {
  file: string;
  line: number;
  message: string;
}

/** What the readers yield: a valid row with its place, or a problem. */
export type SubscriberRowItem =
  | { row: SubscriberRow; file: string; line: number }
  | {
      error: SubscriberFileProblem;
      /** The row's canonical address when it was valid, so sync can leave that subscriber alone. */
      email: string | null;
      /** True when the whole file (or the rest of it) could not be read. */
      wholeFile: boolean;
    };

export function formatProblem(
  problem: SubscriberFileProblem,
  displayFile: (file: string) => string = (f) => f,
): string {
  const where = problem.line > 0 ? `${displayFile(problem.file)}:${problem.line}` : displayFile(problem.file);
  return `${where}: ${problem.message}`;
}
