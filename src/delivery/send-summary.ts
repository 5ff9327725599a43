import type { SendResult } from './send-types.ts';

/**
 * What `tidings send` prints after a run and its exit code: 0 when the list is done,
 * 1 when the run paused (with how to resume), left ambiguous rows or was stopped by an
 * error (the store failing…), 130 when a signal stopped it.
 */
export function summarizeSendResult(
  result: SendResult,
  rerunCommand: string,
  resolveCommand?: string,
): { exitCode: number; lines: string[] } {
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(
      `Dry run for ${result.editionId}: ${result.wouldSend} would be sent, ${result.skipped} skipped; nothing was sent or recorded.`,
    );
    lines.push(...describeSkippedReaders(result));
    return { exitCode: 0, lines };
  }
  const leftAmbiguous = result.ambiguousThisRun ? `, ${result.ambiguousThisRun} ambiguous` : '';
  lines.push(
    `${result.editionId}: ${result.accepted} accepted, ${result.failed} failed, ${result.skipped} skipped, ` +
      `${result.alreadyDone} already handled by earlier runs${leftAmbiguous} (${result.rate.toFixed(1)} msg/s).`,
  );
  lines.push(...describeSkippedReaders(result));
  if (result.requeuedFailures)
    lines.push(`${result.requeuedFailures} temporary failures from earlier runs were tried again.`);
  if (result.ambiguousResent) lines.push(`${result.ambiguousResent} ambiguous rows were resent (--resend-ambiguous).`);
  if (result.journaled) {
    lines.push(
      `${result.journaled} outcomes the store could not record are kept in ${result.journalLocation}; ` +
        'the next send, run or status applies them before anything else (nobody is sent to twice).',
    );
  }
  if (result.ambiguous.length) {
    const byThisRun = result.ambiguousThisRun
      ? `; ${result.ambiguousThisRun} left by this run, with no reply after the end of DATA`
      : '';
    lines.push(
      `${result.ambiguous.length} ambiguous deliveries (the server may have accepted them${byThisRun}): ` +
        result.ambiguous
          .slice(0, 10)
          .map((r) => r.email ?? `subscriber ${r.subscriberId}`)
          .join(', ') +
        (result.ambiguous.length > 10 ? ', …' : '') +
        '. They are not resent automatically. ' +
        (resolveCommand
          ? `Once the mail server's log tells, record it: ${resolveCommand} <email…|--all-ambiguous> --accepted|--not-accepted (not accepted ones are resent by the next run); `
          : '') +
        `to resend them all anyway (some readers may get a second copy): ${rerunCommand} --resend-ambiguous`,
    );
  }
  if (result.limitReached) lines.push(`Stopped at --limit; rerun to send to the rest: ${rerunCommand}`);
  if (result.fatal) {
    lines.push(
      `Sending stopped by an error: [${result.fatal.code}] ${result.fatal.message}. When it is fixed, resume with: ${rerunCommand}`,
    );
    return { exitCode: 1, lines };
  }
  if (result.paused) {
    lines.push(
      `Sending paused: ${result.pauseReason}. Nothing is lost; when the server is back, resume with: ${rerunCommand}`,
    );
    return { exitCode: 1, lines };
  }
  if (result.stopped) {
    lines.push(
      `Stopped by a signal; messages in flight were recorded${result.ambiguous.length ? ' or left ambiguous' : ''}. Resume with: ${rerunCommand}`,
    );
    return { exitCode: 130, lines };
  }
  // Ambiguous rows are work left for ops to decide: a cron alert must fire.
  return { exitCode: result.ambiguous.length ? 1 : 0, lines };
}

/** Readers named on screen at most; the rest are counted (`tidings deliveries <edition> --status skipped` lists all). */
const SKIPPED_NAMED = 20;

/**
 * Who gets nothing from this run and why, one reader a line: a skip is a reader left
 * out, never only a number.
 */
export function describeSkippedReaders(
  result: Pick<SendResult, 'editionId' | 'dryRun' | 'skipped' | 'skippedReaders'>,
): string[] {
  if (result.skipped === 0) return [];
  const verb = result.dryRun ? 'would receive' : 'receive';
  const lines = [
    `${result.skipped} reader${result.skipped === 1 ? '' : 's'} ${verb} nothing from ${result.editionId}:`,
  ];
  for (const reader of result.skippedReaders.slice(0, SKIPPED_NAMED)) lines.push(`  ${reader.email}: ${reader.reason}`);
  const unnamed = result.skipped - Math.min(result.skippedReaders.length, SKIPPED_NAMED);
  if (unnamed > 0)
    lines.push(
      `  … and ${unnamed} more${result.dryRun ? '' : ` (tidings deliveries ${result.editionId} --status skipped)`}`,
    );
  return lines;
}
