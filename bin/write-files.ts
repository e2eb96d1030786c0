/**
 * Writing the result: each file through a temp file in its own folder and a rename, so that a run
 * killed at any moment leaves every file either old or new. Modes are kept; nothing is written
 * outside the project root, and no symlink is followed out of it. Every destination is checked
 * before the first byte is written.
 */
import { lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';

interface PlannedWrite {
  destination: string;
  content: string;
  mode: number;
}

/** Writes `files`; those in `created` must not exist yet (a file the run did not read is never overwritten). */
export async function writeFilesAtomically(root: string, files: Map<string, string>, created: ReadonlySet<string>): Promise<void> {
  const planned: PlannedWrite[] = [];
  for (const [path, content] of files) {
    if (created.has(path) && (await lstat(join(root, path)).catch(() => undefined))) {
      throw new Error(`${path}: exists but was not read (ignored?), so it is not overwritten; nothing was written`);
    }
    planned.push(await planWrite(root, path, content));
  }
  for (const { destination, content, mode } of planned) {
    await mkdir(dirname(destination), { recursive: true });
    await replaceFile(destination, content, mode);
  }
}

async function planWrite(root: string, path: string, content: string): Promise<PlannedWrite> {
  const realRoot = await realpath(root);
  const isInside = (candidate: string) => {
    const rel = relative(realRoot, candidate);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const target = join(realRoot, path);
  if (!isInside(target)) throw new Error(`${path}: outside the project root, not written`);
  const existing = await lstat(target).catch(() => undefined);
  // A symlink is written through to its target, but only when the target is inside the project.
  const destination = existing?.isSymbolicLink() ? await realpath(target) : join(await realExistingFolder(dirname(target)), basename(target));
  if (!isInside(destination)) throw new Error(`${path}: resolves outside the project root, not written`);
  const mode = existing ? (await stat(destination)).mode & 0o7777 : 0o644;
  return { destination, content, mode };
}

/** The real path of a folder, or of its nearest existing ancestor with the rest appended. */
async function realExistingFolder(folder: string): Promise<string> {
  const real = await realpath(folder).catch(() => undefined);
  if (real) return real;
  return join(await realExistingFolder(dirname(folder)), basename(folder));
}

async function replaceFile(destination: string, content: string, mode: number): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${process.pid}.svelte-store-context.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.chmod(mode); // the mode given to open is reduced by the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
