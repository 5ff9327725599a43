import path from 'node:path';
import { Readable } from 'node:stream';
import type { LoadedConfig } from '../config/load-config.ts';
import type { TidingsConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import type { Store } from '../store/store.ts';

/**
 * What every command gets from the composition root. Nothing below this reads the
 * environment, the wall clock or the terminal on its own.
 */
export interface AppContext {
  config: TidingsConfig;
  configFile: string;
  /** Folder of the config file; relative paths in the config resolve from here. */
  baseDir: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** Command output (stdout). */
  out: (line: string) => void;
  /** Problems the user must read (stderr), besides the log. */
  err: (line: string) => void;
  /** True when stdout is a terminal (progress bars, tables) rather than a pipe (JSON lines). */
  interactive: boolean;
  /** The command's output stream, for progress bars that redraw a line. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The command's input (`tidings editor add --password-stdin`). */
  stdin: NodeJS.ReadableStream;
  /** The project's own templates/ folder. */
  templatesDir: string;
  resolvePath(relative: string): string;
  /** A command line to print for the user to run next, with `-c FILE` when it is not the default. */
  commandLine(args: string): string;
  close(): void;
}

export const DEFAULT_CONFIG_FILE = 'tidings.config.yaml';

/** The wiring the composition root hands over; the rest of the context derives from it. */
export type ContextOptions = { loaded: LoadedConfig } & Pick<
  AppContext,
  'clock' | 'logger' | 'env' | 'out' | 'err' | 'interactive' | 'stdout' | 'templatesDir'
> & { stdin?: NodeJS.ReadableStream };

export function createAppContext(options: ContextOptions): AppContext {
  const { loaded, stdin, ...wiring } = options;
  const resolvePath = (relative: string) => path.resolve(loaded.baseDir, relative);
  const storePath = loaded.config.store.path;
  const store = openSqliteStore(storePath === ':memory:' ? storePath : resolvePath(storePath));
  return {
    ...wiring,
    // Without one (servers, tests), standard input is empty.
    stdin: stdin ?? Readable.from([]),
    config: loaded.config,
    configFile: loaded.file,
    baseDir: loaded.baseDir,
    store,
    resolvePath,
    commandLine: (args) => (loaded.file === DEFAULT_CONFIG_FILE ? `tidings ${args}` : `tidings -c ${loaded.file} ${args}`),
    close: () => store.close(),
  };
}
