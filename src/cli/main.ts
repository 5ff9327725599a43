import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import type { AppContext } from '../app/context.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config/default-config-file.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { ConfigError, UsageError, describeError, isTidingsError, type ErrorCode } from '../core/errors.ts';
import type { ContextNeeds } from './command-host.ts';
import { registerCommands } from './register-commands.ts';
import { escapeControlCharacters } from './terminal-text.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Errors about what the user asked for rather than about the work: exit 2. */
const USAGE_CODES = new Set<ErrorCode>(['TEMPLATE_INVALID', 'EDITION_NOT_FOUND', 'INPUT_INVALID', 'NOT_FOUND']);

export interface MainIo {
  env?: Record<string, string | undefined>;
  stdout?: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Where `--password-stdin` reads from. */
  stdin?: NodeJS.ReadableStream;
  /** Tests pin the time; the real CLI reads the system clock. */
  clock?: Clock;
}

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

/**
 * Without a config file in the current folder (and no --config), commands such as
 * `inspect` still work: every default, no sources, and a store that lives in memory.
 */
async function defaultsWithoutFile(
  file: string,
  env: Record<string, string | undefined>,
): Promise<LoadedConfig & { exists: false }> {
  const { parseConfig } = await import('../config/load-config.ts');
  const config = parseConfig({ store: { path: ':memory:' } }, env, file);
  return { config, baseDir: process.cwd(), file: path.resolve(file), exists: false };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The composition root: parses argv, wires config, store, clock and logger, runs one command. */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  // `tidings articles | head` closes the pipe early: stop writing output rather than
  // crash on EPIPE; the command itself (an ingest, a send) still finishes its work.
  let stdoutClosed = false;
  if (typeof stdout.on === 'function') {
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      stdoutClosed = true;
    });
  }
  // Every line of command output passes here: stored text (titles, names, server replies)
  // never reaches the terminal with its control characters (src/cli/terminal-text.ts).
  const out = (line: string) => void (stdoutClosed || stdout.write(`${escapeControlCharacters(line)}\n`));
  const err = (line: string) => void stderr.write(`${escapeControlCharacters(line)}\n`);
  const interactive = Boolean((stdout as NodeJS.WriteStream).isTTY);

  let context: AppContext | null = null;
  const program = new Command('tidings')
    .description('Self-hosted newsletter digests: ingest sources, summarize, curate, render, send exactly once.')
    .addOption(new Option('-c, --config <file>', 'configuration file').default(DEFAULT_CONFIG_FILE))
    .option('-q, --quiet', 'log errors only')
    .option('-v, --verbose', 'log debug details')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) });

  const getContext = async (needs: ContextNeeds = {}): Promise<AppContext> => {
    if (context) return context;
    const globals = program.opts<{ config: string; quiet?: boolean; verbose?: boolean }>();
    // In a terminal the command's own output says what happened; the log adds warnings.
    const level = globals.quiet ? 'error' : globals.verbose ? 'debug' : interactive ? 'warn' : 'info';
    // Loaded here, not at the top: `--help` and usage errors need none of config, logger or store.
    const [{ openAppContext }, { loadConfig }, { createLogger }] = await Promise.all([
      import('../app/open-app-context.ts'),
      import('../config/load-config.ts'),
      import('../core/logger.ts'),
    ]);
    const logger = createLogger({ level, pretty: interactive && !env.CI, sanitize: escapeControlCharacters });
    const explicit = program.getOptionValueSource('config') !== 'default';
    const loaded =
      explicit || existsSync(globals.config)
        ? loadConfig(globals.config, env, { sendsMail: needs.sendsMail })
        : await defaultsWithoutFile(globals.config, env);
    if (!loaded.exists)
      logger.warn(`no ${globals.config} here: using the defaults and a store in memory (pass --config FILE)`);
    const opened = await openAppContext({
      loaded,
      stdin: io.stdin ?? process.stdin,
      clock: io.clock ?? systemClock,
      logger,
      env,
      out,
      err,
      interactive,
      stdout,
      templatesDir: TEMPLATES_DIR,
    });
    context = opened;
    return opened;
  };

  let exitCode: number = EXIT.ok;
  registerCommands(program, {
    getContext,
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  });
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      err(`error: [${error.code}] ${error.message}`);
      return EXIT.usage;
    }
    // Templates are configuration (newsletters[].template, templates.dir): a broken one is
    // exit 2 too, and so is naming an edition or article that does not exist.
    if (isTidingsError(error) && USAGE_CODES.has(error.code)) {
      err(`error: [${error.code}] ${error.message}`);
      return EXIT.usage;
    }
    // One line with the documented code (docs/operations.md, "Error codes"); the stack and
    // the underlying cause (a SQLite error behind STORE_FAILED) only with -v.
    const code = isTidingsError(error) ? error.code : 'UNEXPECTED';
    err(`error: [${code}] ${oneLine(describeError(error))}`);
    if (program.opts<{ verbose?: boolean }>().verbose) {
      for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) if (cause.stack) err(cause.stack);
    }
    return EXIT.failed;
  } finally {
    // PostgreSQL's pool must end before the process can exit; a failing close changes nothing of the outcome.
    await Promise.resolve((context as AppContext | null)?.close()).catch(() => {});
  }
}
