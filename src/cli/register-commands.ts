import type { Command } from 'commander';
import type { CommandHost } from './command-host.ts';
import { registerBouncesCommands } from './commands/register-bounces.ts';
import { registerDkimCommands } from './commands/register-dkim.ts';
import { registerEditionCommands } from './commands/edition.ts';
import { registerEditorCommands } from './commands/editor.ts';
import { registerIngestCommands } from './commands/register-ingest.ts';
import { registerPreviewCommand } from './commands/register-preview.ts';
import { registerRunCommand } from './commands/register-run.ts';
import { registerSendCommand } from './commands/register-send.ts';
import { registerScheduleCommand } from './commands/register-schedule.ts';
import { registerServeCommand } from './commands/register-serve.ts';
import { registerStartCommand } from './commands/register-start.ts';
import { registerStatusCommands } from './commands/register-status.ts';
import { registerSourcesCommand } from './commands/sources.ts';
import { registerStoreCommands } from './commands/register-store.ts';
import { registerSubscriberLifecycleCommands } from './commands/subscriber-lifecycle.ts';
import { registerSubscribersCommands } from './commands/register-subscribers.ts';
import { registerTokenCommands } from './commands/register-token.ts';
import { registerWorkerCommand } from './commands/register-worker.ts';
import { registerWebhooksCommands } from './commands/register-webhooks.ts';

/**
 * Every command module registers itself here. Registration modules stay light (commander
 * definitions only); each action imports its implementation when it runs, so that
 * `tidings --help` or `tidings edition list` never load MJML or linkedom.
 */
export function registerCommands(program: Command, host: CommandHost): void {
  registerIngestCommands(program, host);
  registerEditionCommands(program, host);
  registerPreviewCommand(program, host);
  registerSendCommand(program, host);
  registerStatusCommands(program, host);
  registerSourcesCommand(program, host);
  registerSubscribersCommands(program, host);
  registerSubscriberLifecycleCommands(program, host);
  registerRunCommand(program, host);
  registerScheduleCommand(program, host);
  registerServeCommand(program, host);
  registerStartCommand(program, host);
  registerWebhooksCommands(program, host);
  registerEditorCommands(program, host);
  registerDkimCommands(program, host);
  registerBouncesCommands(program, host);
  registerStoreCommands(program, host);
  registerWorkerCommand(program, host);
  registerTokenCommands(program, host);
}
