import path from 'node:path';
import { Readable } from 'node:stream';
import type { LoadedConfig } from '../config/load-config.ts';
import type { TidingsConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { ConfigError, TidingsError } from '../core/errors.ts';
import { createHttpClient, type HttpClient } from '../core/http/http-client.ts';
import type { Logger } from '../core/logger.ts';
import { ShutdownBudget } from '../core/shutdown-budget.ts';
import { journalPathFor } from '../delivery/outcome-journal.ts';
import { storeLocation } from '../store/open-store.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { isSecretFileShared, judgePublicSecret, resolveLinkSecret } from './link-secret.ts';
import { DEFAULT_CONFIG_FILE } from '../config/default-config-file.ts';
import { withWebhookEvents } from './webhook-firing-store.ts';
import { createWebhookNotifier } from '../webhooks/webhook-notifier.ts';

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
  /** The one HTTP client for outbound requests (feeds, pages, images), with the `fetch` limits and address policy. */
  http: HttpClient;
  /**
   * Where a send writes outcomes the store could not record: next to the SQLite file, in
   * the data folder for PostgreSQL (`postgres.outcomes.jsonl`); null for a store in memory.
   */
  outcomeJournalFile: string | null;
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
  /** Begun by the first stop signal; its `expired` ends what cannot finish in `shutdownTimeout`. */
  shutdown: ShutdownBudget;
  /** Closes the store (for PostgreSQL, ends its pool: await it) and the HTTP client's connections. */
  close(): void | Promise<void>;
}

export { DEFAULT_CONFIG_FILE };

/** The wiring the composition root hands over; the rest of the context derives from it. */
export type ContextOptions = { loaded: LoadedConfig } & Pick<
  AppContext,
  'clock' | 'logger' | 'env' | 'out' | 'err' | 'interactive' | 'stdout' | 'templatesDir'
> & {
    stdin?: NodeJS.ReadableStream;
    /** A store opened by the caller (openStore: PostgreSQL opens asynchronously); else the SQLite file of the config. */
    store?: Store;
  };

export function createAppContext(options: ContextOptions): AppContext {
  const { loaded, stdin, store: opened, ...wiring } = options;
  const resolvePath = (relative: string) => path.resolve(loaded.baseDir, relative);
  const location = storeLocation(loaded.config.store, resolvePath);
  if (location.kind === 'postgres' && !opened) {
    throw new TidingsError(
      'STORE_FAILED',
      'store.url names PostgreSQL: open it with openStore() and pass it as `store`',
      { where: location.where },
    );
  }
  // The link secret lives in the data folder: next to the SQLite file, or where store.path points for PostgreSQL.
  const secretAnchor = location.kind === 'sqlite' ? location.file : path.join(location.dataDir, 'tidings.db');
  const config = withLinkSecret(loaded, secretAnchor, wiring.logger);
  const store = withWebhooks(
    opened ?? openSqliteStore(secretAnchor, { busyTimeoutMs: config.store.busyTimeout }),
    config,
    wiring,
  );
  const http = createHttpClient(config.fetch);
  const outcomeJournalFile = store.file
    ? journalPathFor(store.file)
    : location.kind === 'postgres'
      ? path.join(location.dataDir, 'postgres.outcomes.jsonl')
      : null;
  return {
    ...wiring,
    // Without one (servers, tests), standard input is empty.
    stdin: stdin ?? Readable.from([]),
    config,
    configFile: loaded.file,
    baseDir: loaded.baseDir,
    store,
    http,
    outcomeJournalFile,
    resolvePath,
    shutdown: new ShutdownBudget(config.shutdownTimeout),
    commandLine: (args) =>
      loaded.file === DEFAULT_CONFIG_FILE ? `tidings ${args}` : `tidings -c ${loaded.file} ${args}`,
    close: async () => {
      await Promise.all([store.close(), http.close()]);
    },
  };
}

/** With webhook endpoints configured, the store queues an event after each change that is one (src/webhooks/). */
function withWebhooks(store: Store, config: TidingsConfig, wiring: Pick<AppContext, 'clock' | 'logger'>): Store {
  const { endpoints } = config.webhooks;
  if (endpoints.length === 0) return store;
  const notifier = createWebhookNotifier({ endpoints, queue: store.webhooks, ...wiring });
  return withWebhookEvents(store, notifier, wiring.logger);
}

/**
 * web.secret as the commands see it: the configured one (refused when it is public and
 * the transport really sends), else the one Tidings keeps in the data folder, created on
 * the first run. There is never a usable default.
 */
function withLinkSecret(loaded: LoadedConfig, storePath: string, logger: Logger): TidingsConfig {
  const { config } = loaded;
  if (config.web.secret) {
    const verdict = judgePublicSecret(config.web.secret, config.transport.type);
    if (verdict === 'refuse') {
      throw new ConfigError(loaded.file, [
        'web.secret: this value is published in the Tidings repository or documentation, so anyone could forge subscriber links with it; ' +
          'set TIDINGS_SECRET to a random value (openssl rand -base64 32) or remove web.secret to have one created in the data folder',
      ]);
    }
    if (verdict === 'warn')
      logger.warn(
        'web.secret is a value published in the Tidings documentation: links it signs can be forged; fine for the outbox, refused for smtp',
      );
    return config;
  }
  // Read (or created) on first use, so commands that sign nothing (`edition list`,
  // `status`, `--help`) neither write a file nor log about one.
  let value: string | undefined;
  const web = { ...config.web };
  Object.defineProperty(web, 'secret', {
    enumerable: true,
    get: () => (value ??= readOrCreateSecret(loaded, storePath, logger)),
  });
  return { ...config, web };
}

function readOrCreateSecret(loaded: LoadedConfig, storePath: string, logger: Logger): string {
  const secret = resolveLinkSecret({ configured: undefined, storePath, configFile: loaded.file });
  if (secret.origin === 'created') {
    logger.warn(
      { file: secret.file },
      `no web.secret configured: created a random link secret in ${secret.file} (mode 0600); keep it with the store, changing it invalidates links already sent`,
    );
  } else if (secret.origin === 'file' && isSecretFileShared(secret.file!)) {
    logger.warn({ file: secret.file }, `${secret.file} can be read by other users: chmod 600 it`);
  }
  return secret.value;
}
