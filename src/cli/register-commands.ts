import type { Command } from 'commander';
import type { CommandHost } from './command-host.ts';
import { registerEditionCommands } from './commands/edition.ts';
import { registerEditorCommands } from './commands/editor.ts';
import { registerIngestCommands } from './commands/ingest.ts';
import { registerPreviewCommand } from './commands/preview.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerSendCommand } from './commands/send.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStatusCommands } from './commands/register-status.ts';
import { registerSubscriberLifecycleCommands } from './commands/subscriber-lifecycle.ts';
import { registerSubscribersCommands } from './commands/subscribers.ts';

/** Every command module registers itself here. */
export function registerCommands(program: Command, host: CommandHost): void {
  registerIngestCommands(program, host);
  registerEditionCommands(program, host);
  registerPreviewCommand(program, host);
  registerSendCommand(program, host);
  registerStatusCommands(program, host);
  registerSubscribersCommands(program, host);
  registerSubscriberLifecycleCommands(program, host);
  registerRunCommand(program, host);
  registerServeCommand(program, host);
  registerEditorCommands(program, host);
}
