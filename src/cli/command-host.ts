import type { AppContext } from '../app/context.ts';

export interface ContextNeeds {
  /** Default true: an unset transport variable is a configuration error before any work. */
  sendsMail?: boolean;
}

/** What a command module needs from the CLI: the wired context and a way to report failure. */
export interface CommandHost {
  /**
   * Loads the configuration and opens the store on first use (a bad config exits 2).
   * Commands that send no mail pass `{ sendsMail: false }`: they then run without the
   * transport's variables (`${SMTP_URL}`) set, e.g. `tidings status` in an operator's shell.
   */
  getContext(needs?: ContextNeeds): Promise<AppContext>;
  /** 0 success, 1 the work failed; the highest code reported wins. */
  setExitCode(code: number): void;
}
