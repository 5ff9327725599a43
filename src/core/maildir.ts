import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';

/**
 * The messages of a Maildir (new/ then cur/, each sorted), as paths relative to it.
 * A missing new/ or cur/ is an empty one; dot files (a client's temporaries) are skipped.
 */
export async function listMaildirMessages(maildir: string): Promise<string[]> {
  const files: string[] = [];
  for (const sub of ['new', 'cur']) {
    let names: string[];
    try {
      names = await readdir(path.join(maildir, sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names.sort()) if (!name.startsWith('.')) files.push(path.join(sub, name));
  }
  return files;
}

/**
 * Moves a message into a Maildir++ subfolder's cur/ (`.Processed`, `.Failed`), so a mail
 * client shows it there, marked seen (the `:2,S` info part a move to cur/ needs).
 */
export async function moveMaildirMessage(maildir: string, file: string, folder: string): Promise<void> {
  const target = path.join(maildir, folder, 'cur');
  await mkdir(target, { recursive: true });
  const base = path.basename(file);
  await rename(path.join(maildir, file), path.join(target, base.includes(':2,') ? base : `${base}:2,S`));
}
