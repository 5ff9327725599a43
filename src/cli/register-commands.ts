import type { Command } from 'commander';
import type { CommandHost } from './command-host.ts';
import { registerEditionCommands } from './commands/edition.ts';
import { registerIngestCommands } from './commands/ingest.ts';

/** Every command module registers itself here. */
export function registerCommands(program: Command, host: CommandHost): void {
  registerIngestCommands(program, host);
  registerEditionCommands(program, host);
}
