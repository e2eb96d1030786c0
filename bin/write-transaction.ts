/**
 * Writing a run's changes as one transaction: the app ends entirely old or entirely new.
 *
 * 1. Preflight: every target is checked before the first byte is written (inside the project, its
 *    folder writable, an existing file writable and not read-only, unchanged since the run read
 *    it, a new file not there yet). Any problem: nothing is written, and each path says why.
 * 2. Stage: each new content goes to a temp file next to its target. SIGINT, SIGTERM or SIGHUP
 *    now removes the temp files and exits (130, 143, 129): nothing was written.
 * 3. Commit: a journal at the root lists every target, each existing file is kept under a backup
 *    name (a hard link), then every temp file is renamed over its target, synchronously, so no
 *    signal handler runs in between. A failing rename rolls every file back. A run killed outright
 *    (SIGKILL, power loss) leaves the journal: the next run finds it and restores the old files
 *    before doing anything else (`recoverInterruptedWrite`).
 * No temp or backup file outlives a run that ends by itself.
 */
import { accessSync, constants, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';

export interface PlannedChange {
  /** Relative to the root, POSIX. */
  path: string;
  /** What the run read (undefined for a file it creates). */
  before: string | undefined;
  after: string;
}

/** A write that did not happen; nothing was written, or everything was put back (`restored`). */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly restored: string[] = [],
  ) {
    super(message);
  }
}

export const JOURNAL = '.svelte-store-context-journal.json';
const TAG = `${process.pid}.svelte-store-context`;

interface Target {
  path: string;
  destination: string;
  content: string;
  mode: number;
  exists: boolean;
  temp: string;
  backup: string;
}

interface Journal {
  committed: boolean;
  targets: Array<Pick<Target, 'destination' | 'temp' | 'backup' | 'exists'>>;
  createdFolders: string[];
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Writes every change or none; returns how many files were written. */
export async function writeTransaction(root: string, changes: PlannedChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  const targets = preflight(root, changes);
  const createdFolders: string[] = [];
  const journalPath = join(realpathSync(root), JOURNAL);
  let phase: 'staging' | 'committing' | 'done' = 'staging';

  const removeTemps = () => {
    for (const target of targets) rmSync(target.temp, { force: true });
    for (const folder of [...createdFolders].reverse()) tryRemoveEmptyFolder(folder);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (phase !== 'staging') {
      // The commit is synchronous: by the time this runs, every file is written. The run ends as
      // it would have, with the signal's exit code.
      interruptedBy ??= signal;
      process.exitCode = SIGNAL_EXIT[interruptedBy] ?? 1;
      process.stderr.write(`svelte-store-context: interrupted (${signal}) while writing; the write was completed first (${targets.length} files)\n`);
      return;
    }
    removeTemps();
    rmSync(journalPath, { force: true });
    process.stderr.write(`svelte-store-context: interrupted (${signal}) before writing; nothing was written\n`);
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  };
  const signals = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];
  for (const signal of signals) process.on(signal, onSignal);
  const journal: Journal = { committed: false, targets: targets.map(({ destination, temp, backup, exists }) => ({ destination, temp, backup, exists })), createdFolders };
  try {
    // Written first, so that even a run killed while staging leaves a way to remove its temp files.
    writeJournal(journalPath, journal);
    for (const target of targets) await stage(target, createdFolders);
    phase = 'committing';
    commit(targets, journal, journalPath);
    phase = 'done';
    // A signal that came during the commit is delivered at the event loop's next poll, which a
    // timer reaches (an immediate would not), and a run that ends first never polls again.
    await new Promise((resolve) => setTimeout(resolve, 1));
  } catch (error) {
    if (phase === 'staging') {
      removeTemps();
      rmSync(journalPath, { force: true });
    }
    throw error instanceof WriteError ? error : new WriteError(`${(error as Error).message}; nothing was written`);
  } finally {
    // A signal after this point gets its default: the files are all written by then.
    for (const signal of signals) process.off(signal, onSignal);
  }
  return targets.length;
}

let interruptedBy: string | undefined;

/** The exit code a signal during the commit asks for (the files were all written first), if one came. */
export function interruptedExitCode(): number | undefined {
  return interruptedBy === undefined ? undefined : (SIGNAL_EXIT[interruptedBy] ?? 1);
}

function preflight(root: string, changes: PlannedChange[]): Target[] {
  const realRoot = realpathSync(root);
  const isInside = (candidate: string) => {
    const rel = relative(realRoot, candidate);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const problems: string[] = [];
  const targets: Target[] = [];
  for (const { path, before, after } of changes) {
    const refuse = (reason: string) => problems.push(`  ${path}: ${reason}`);
    const target = join(realRoot, path);
    if (!isInside(target)) {
      refuse('outside the project root');
      continue;
    }
    const existing = lstatOrUndefined(target);
    // A symlink is written through to its target, but only when the target is inside the project.
    const destination = existing?.isSymbolicLink() ? realpathOrUndefined(target) : join(realExistingFolder(dirname(target)), basename(target));
    if (!destination || !isInside(destination)) {
      refuse('resolves outside the project root');
      continue;
    }
    const current = existing ? readOrUndefined(destination) : undefined;
    if (before === undefined && existing) refuse('exists but was not read (ignored?), so it is not overwritten');
    else if (before !== undefined && current === undefined) refuse('was removed or cannot be read since the run read it');
    else if (before !== undefined && current !== before) refuse('changed on disk since the run read it; run again');
    const mode = existing ? statSync(destination).mode & 0o7777 : 0o644;
    if (existing && (mode & 0o222) === 0) refuse(`is read-only (mode ${mode.toString(8)}); make it writable or leave it out`);
    else if (existing && !canAccess(destination, constants.W_OK)) refuse('is not writable by this user');
    const folder = nearestExistingFolder(dirname(destination));
    if (!canAccess(folder, constants.W_OK | constants.X_OK)) refuse(`its folder ${relative(realRoot, folder) || '.'} is not writable by this user`);
    const name = basename(destination);
    targets.push({
      path,
      destination,
      content: after,
      mode,
      exists: Boolean(existing),
      temp: join(dirname(destination), `.${name}.${TAG}.tmp`),
      backup: join(dirname(destination), `.${name}.${TAG}.bak`),
    });
  }
  if (problems.length > 0) throw new WriteError(`nothing was written; these files cannot be written:\n${problems.join('\n')}`);
  return targets;
}

async function stage(target: Target, createdFolders: string[]): Promise<void> {
  for (const folder of missingFolders(dirname(target.destination))) {
    mkdirSync(folder);
    createdFolders.push(folder);
  }
  const handle = await open(target.temp, 'wx', target.mode);
  try {
    await handle.writeFile(target.content);
    await handle.chmod(target.mode); // the mode given to open is reduced by the umask
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The renames, after a journal that lets the next run undo them should this process die midway. */
function commit(targets: Target[], journal: Journal, journalPath: string): void {
  writeJournal(journalPath, journal); // now with the folders staging created
  try {
    for (const target of targets) if (target.exists) keepBackup(target);
    for (const target of targets) renameSync(target.temp, target.destination);
  } catch (error) {
    const restored = rollBack(journal);
    rmSync(journalPath, { force: true });
    const what = restored.length > 0 ? `; the files already replaced were put back (${restored.length})` : '';
    throw new WriteError(`writing failed (${(error as Error).message}); nothing was written${what}`, restored);
  }
  writeJournal(journalPath, { ...journal, committed: true });
  for (const target of targets) rmSync(target.backup, { force: true });
  rmSync(journalPath, { force: true });
}

/** The old file under its backup name: a second link to it, or a copy where links are not possible. */
function keepBackup(target: Target): void {
  try {
    linkSync(target.destination, target.backup);
  } catch {
    copyFileSync(target.destination, target.backup);
  }
}

/** Puts every target back as it was; returns the destinations restored. */
function rollBack(journal: Journal): string[] {
  const restored: string[] = [];
  for (const target of journal.targets) {
    if (target.exists && existsSync(target.backup)) {
      // Not renamed over yet, the backup is another link to the same file: only the backup goes.
      const unchanged = existsSync(target.destination) && statSync(target.destination).ino === statSync(target.backup).ino;
      if (unchanged) rmSync(target.backup);
      else {
        renameSync(target.backup, target.destination);
        restored.push(target.destination);
      }
    } else if (!target.exists && existsSync(target.destination) && !existsSync(target.temp)) {
      rmSync(target.destination, { force: true });
      restored.push(target.destination);
    }
    rmSync(target.temp, { force: true });
  }
  for (const folder of [...journal.createdFolders].reverse()) tryRemoveEmptyFolder(folder);
  return restored;
}

/**
 * A journal left by a run that died while writing: its renames are undone (or, when they had all
 * been made, its leftovers removed), so the app is as it was before either way. Returns a
 * sentence for the user, or undefined when there was nothing to recover.
 */
export function recoverInterruptedWrite(root: string): string | undefined {
  const journalPath = join(root, JOURNAL);
  if (!existsSync(journalPath)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
  } catch {
    rmSync(journalPath, { force: true });
    return undefined; // never completed: written before any rename
  }
  if (journal.committed) {
    for (const target of journal.targets) {
      rmSync(target.backup, { force: true });
      rmSync(target.temp, { force: true });
    }
    rmSync(journalPath, { force: true });
    return `cleaned up after an earlier run that had written all its ${journal.targets.length} files`;
  }
  const restored = rollBack(journal);
  rmSync(journalPath, { force: true });
  return `an earlier run was interrupted while writing; its ${restored.length} written files were put back as they were`;
}

function writeJournal(path: string, journal: Journal): void {
  const temp = `${path}.${TAG}.tmp`;
  writeFileSync(temp, JSON.stringify(journal));
  renameSync(temp, path);
}

function missingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current); current = dirname(current)) missing.unshift(current);
  return missing;
}

function tryRemoveEmptyFolder(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty, or gone: leave it
  }
}

function nearestExistingFolder(folder: string): string {
  return existsSync(folder) ? folder : nearestExistingFolder(dirname(folder));
}

/** The real path of a folder, or of its nearest existing ancestor with the rest appended. */
function realExistingFolder(folder: string): string {
  const real = realpathOrUndefined(folder);
  return real ?? join(realExistingFolder(dirname(folder)), basename(folder));
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
