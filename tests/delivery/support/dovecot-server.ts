import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((file) => existsSync(file));

/** Why the Dovecot tests cannot run here, or null when they can (CI installs dovecot-imapd). */
export function dovecotMissing(): string | null {
  if (!DOVECOT) return 'dovecot is not installed (apt-get install dovecot-imapd; .ci/run installs it)';
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'the openssl command is missing (it makes the test certificate)';
  }
  return null;
}

/** A port nothing listens on right now (the kernel's pick; closed again at once). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DovecotServer {
  user: string;
  password: string;
  /** imaps:// with TLS from the first byte (certificate for 127.0.0.1 signed by `caFile`). */
  imapsPort: number;
  /** imap:// cleartext on 127.0.0.1 (Tidings allows it on loopback only). */
  imapPort: number;
  /** The self-signed certificate to trust (bounces.tlsCa). */
  caFile: string;
  /** The user's Maildir as Dovecot keeps it (folders are `.Tidings.Processed` and so on). */
  maildir: string;
  /** Drops a message into the user's INBOX (new/), as the MTA would. */
  deliver(name: string, raw: Buffer): void;
  /** The messages in a folder ('' for the INBOX, 'Tidings.Processed'…), new/ and cur/ together. */
  messages(folder: string): string[];
  /** What Dovecot logged so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real Dovecot (Debian's dovecot-imapd) in the foreground on 127.0.0.1 with random ports,
 * its configuration, certificate, passwd-file and mail all in a temporary folder of its own
 * (removed by `stop`), which its unprivileged processes can reach. Dovecot refuses
 * to run its login process or to give mail to root, so under root (CI) the login runs as
 * the package's dovenull and the mail belongs to nobody; otherwise both are the current user.
 */
export async function startDovecot(): Promise<DovecotServer> {
  if (!DOVECOT) throw new Error(dovecotMissing()!);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-dovecot-'));
  // The login and auth processes (other users under root) must reach base_dir and the passwd-file.
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  const me = os.userInfo().username;
  const mailUid = root ? 65534 : process.getuid!();
  const mailGid = root ? 65534 : process.getgid!();
  const user = 'bounces';
  const password = 'imap-test-password-4711';
  const [imapPort, imapsPort] = [await freePort(), await freePort()];
  const caFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub));
  const home = path.join(dir, 'mail', user);
  const maildir = path.join(home, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  const own = (file: string) => {
    if (root) chownSync(file, mailUid, mailGid);
  };
  for (const p of [home, maildir, ...['new', 'cur', 'tmp'].map((s) => path.join(maildir, s))]) own(p);
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:::::\n`);
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${caFile}
ssl_key = <${keyFile}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = ${root ? 'dovecot' : me}
${root ? 'default_internal_group = dovecot\n' : ''}default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = ${Math.min(mailUid, 500)}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${home}
}
mail_location = maildir:${maildir}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
`,
  );
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForGreeting(child, imapPort, () => log);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    user,
    password,
    imapPort,
    imapsPort,
    caFile,
    maildir,
    deliver(name, raw) {
      const file = path.join(maildir, 'new', name);
      writeFileSync(file, raw);
      own(file);
    },
    messages(folder) {
      const base = folder ? path.join(maildir, `.${folder}`) : maildir;
      return ['new', 'cur']
        .flatMap((sub) => (existsSync(path.join(base, sub)) ? readdirSync(path.join(base, sub)) : []))
        .sort();
    },
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ready once the IMAP port greets with `* OK` and the auth process answers (Dovecot says "Waiting…" before). */
async function waitForGreeting(child: ChildProcess, port: number, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}:\n${log()}`);
    const greeting = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
        if (text.includes('\n')) socket.destroy();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(''));
    });
    if (/^\* OK \[CAPABILITY/.test(greeting)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dovecot did not greet on 127.0.0.1:${port}:\n${log()}`);
}
