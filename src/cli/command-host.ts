import type { AppContext } from '../app/context.ts';

/** What a command module needs from the CLI: the wired context and a way to report failure. */
export interface CommandHost {
  /** Loads the configuration and opens the store on first use (a bad config exits 2). */
  getContext(): Promise<AppContext>;
  /** 0 success, 1 the work failed; the highest code reported wins. */
  setExitCode(code: number): void;
}
