import type { SendResult } from './send-types.ts';

/**
 * What `tidings send` prints after a run and its exit code: 0 when the list is done,
 * 1 when the run paused (with how to resume), 130 when a signal stopped it.
 */
export function summarizeSendResult(result: SendResult, rerunCommand: string): { exitCode: number; lines: string[] } {
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(`Dry run for ${result.editionId}: ${result.wouldSend} would be sent, ${result.skipped} skipped; nothing was sent or recorded.`);
    return { exitCode: 0, lines };
  }
  lines.push(
    `${result.editionId}: ${result.accepted} accepted, ${result.failed} failed, ${result.skipped} skipped, ` +
      `${result.alreadyDone} already handled by earlier runs (${result.rate.toFixed(1)} msg/s).`,
  );
  if (result.requeuedFailures) lines.push(`${result.requeuedFailures} temporary failures from earlier runs were tried again.`);
  if (result.ambiguousResent) lines.push(`${result.ambiguousResent} ambiguous rows were resent (--resend-ambiguous).`);
  if (result.ambiguous.length) {
    lines.push(
      `${result.ambiguous.length} ambiguous deliveries (left "sending" by an interrupted run, maybe accepted): ` +
        result.ambiguous.slice(0, 10).map((r) => r.email ?? `subscriber ${r.subscriberId}`).join(', ') +
        (result.ambiguous.length > 10 ? ', …' : '') +
        `. They are not resent; to resend them anyway: ${rerunCommand} --resend-ambiguous`,
    );
  }
  if (result.limitReached) lines.push(`Stopped at --limit; rerun to send to the rest: ${rerunCommand}`);
  if (result.paused) {
    lines.push(`Sending paused: ${result.pauseReason}. Nothing is lost; when the server is back, resume with: ${rerunCommand}`);
    return { exitCode: 1, lines };
  }
  if (result.stopped) {
    lines.push(`Stopped by a signal; messages in flight were recorded. Resume with: ${rerunCommand}`);
    return { exitCode: 130, lines };
  }
  return { exitCode: 0, lines };
}
