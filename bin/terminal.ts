/**
 * What a person at a terminal sees besides the report: a progress line that rewrites itself, and
 * colour. Both only when stderr is a TTY; colour never with NO_COLOR. Piped output stays plain.
 */
import { styleText } from 'node:util';
import type { MigrationProgress } from '../transforms/index.js';

const interactive = Boolean(process.stderr.isTTY);
const coloured = interactive && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');

type Style = Parameters<typeof styleText>[0];
const STATUS_STYLES: Array<[RegExp, Style]> = [
  [/^migrated\b/, 'green'],
  [/^blocked\b/, 'red'],
  [/^skipped\b/, 'dim'],
  [/^context\b/, 'yellow'],
  [/^error\b/, 'red'],
  [/^== .* ==$/, 'bold'],
];

/** The report with its status words coloured, when colour is on. */
export function colourReport(text: string): string {
  if (!coloured) return text;
  return text
    .split('\n')
    .map((line) => {
      const style = STATUS_STYLES.find(([pattern]) => pattern.test(line))?.[1];
      if (!style) return line;
      const word = /^\S+/.exec(line)![0];
      return /^==/.test(line) ? styleText(style, line, { validateStream: false }) : styleText(style, word, { validateStream: false }) + line.slice(word.length);
    })
    .join('\n');
}

/** A progress line per app (`apps/web: read 812 files, parsed 240, 12 store modules`), at most ten times a second. */
export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly app: string) {}

  read(files: number): void {
    this.show(`read ${files} files`, true);
  }

  update(files: number, { parsed, storeModules }: MigrationProgress): void {
    this.show(`read ${files} files, parsed ${parsed}${storeModules === undefined ? '' : `, ${storeModules} store modules`}`, storeModules !== undefined);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  private show(text: string, force: boolean): void {
    if (!interactive) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r\x1b[K${this.app === '.' ? '' : `${this.app}: `}${text}`);
  }
}
