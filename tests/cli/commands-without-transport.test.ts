import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';

const NOW = '2026-12-02T08:00:00Z';
const UNSET = 'transport.url: environment variable SMTP_URL is not set';

/**
 * An operator's shell rarely holds the mail server's credentials (systemd gives them to
 * the service only). Commands that send nothing run without them; commands that send
 * refuse before doing any work, naming the variable.
 */
describe('commands and an unset ${SMTP_URL}', () => {
  const tempDir = useTempDir();

  it('reading and curating commands run; sending ones exit 2 before any work', async () => {
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ada@example.org', 'lin@example.org'] });
    ws.addArticles(NOW);
    const cli = (...args: string[]) => runCli(['-q', '-c', ws.configFile, ...args], {}, NOW);

    const ingest = await cli('ingest');
    expect(ingest.err).toBe('');
    expect(ingest.code).toBe(0);
    expect((await cli('subscribers', 'sync')).code).toBe(0);
    const build = await cli('edition', 'build', 'daily', '--at', NOW);
    expect(build.code).toBe(0);
    expect(build.out).toContain('daily/2026-12-02T08:00');
    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.out).toContain('daily/2026-12-02T08:00');
    expect((await cli('articles')).out).toContain('Story 1 about a faster compiler');
    expect((await cli('schedule', '--list')).code).toBe(0);

    const send = await cli('send', 'daily', '--at', NOW);
    expect(send.code).toBe(2);
    expect(send.err).toContain(UNSET);
    const run = await cli('run', '--at', NOW);
    expect(run.code).toBe(2);
    expect(run.err).toContain(UNSET);
    // Nothing was claimed: the refused send left every delivery as it was.
    const after = await cli('status', '--json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out).editions).toEqual([
      expect.objectContaining({
        edition: 'daily/2026-12-02T08:00',
        status: 'draft',
        total: 0,
        sending: 0,
        accepted: 0,
        ambiguous: 0,
      }),
    ]);
  });
});
