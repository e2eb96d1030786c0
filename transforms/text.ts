/** Text helpers shared by analysis and editing: positions, and the formatting habits of a file. */

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** How a file writes code, so that inserted code looks like its neighbours. */
export interface CodeStyle {
  eol: '\n' | '\r\n';
  /** One level of indentation. */
  indent: string;
  quote: "'" | '"';
  semicolon: boolean;
}

export function detectStyle(code: string, fallback: Partial<CodeStyle> = {}): CodeStyle {
  return {
    eol: code.includes('\r\n') ? '\r\n' : '\n',
    indent: detectIndent(code) ?? fallback.indent ?? '\t',
    quote: detectQuote(code) ?? fallback.quote ?? "'",
    semicolon: detectSemicolon(code) ?? fallback.semicolon ?? true,
  };
}

/**
 * The style of a file the run creates: the app's settings where it has them, else the habits of
 * the file it is made from (`model`).
 */
export function newFileStyle(model: string, settings: Partial<CodeStyle>, usualIndent?: string): CodeStyle {
  return { ...detectStyle(model, { indent: usualIndent ?? '\t' }), ...withoutUndefined(settings), eol: detectStyle(model).eol };
}

/** What a file that shows no style of its own is written in: the app's settings, else the indentation most of its files use. */
export function houseStyle(project: { style: Partial<CodeStyle>; usualIndent: string | undefined }): Partial<CodeStyle> {
  return withoutUndefined({ indent: project.usualIndent, ...withoutUndefined(project.style) });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

export function detectIndent(code: string): string | undefined {
  // The smallest indentation of any line is one level; tabs win as soon as one line starts with a tab.
  let smallest: string | undefined;
  for (const match of code.matchAll(/^([ \t]+)\S/gm)) {
    const whitespace = match[1]!;
    if (whitespace.startsWith('\t')) return '\t';
    if (whitespace.length >= 2 && (smallest === undefined || whitespace.length < smallest.length)) {
      smallest = whitespace;
    }
  }
  return smallest;
}

function detectQuote(code: string): CodeStyle['quote'] | undefined {
  const match = /\b(?:from|import)\s*(['"])/.exec(code);
  return match ? (match[1] as CodeStyle['quote']) : undefined;
}

function detectSemicolon(code: string): boolean | undefined {
  // Lines that open a block or go on (`export class A {`, `export const a = [`) end no statement.
  const statementEnds = [...code.matchAll(/^\s*(?:import|export|const|let)\b[^\n]*?(;?)\r?$/gm)].filter((match) => !/[{([,=>]\s*$/.test(match[0]));
  if (statementEnds.length === 0) return undefined;
  const withSemicolon = statementEnds.filter((match) => match[1] === ';').length;
  return withSemicolon * 2 >= statementEnds.length;
}

/** Start offset of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line break ending the line that holds `offset` (or the text's end). */
export function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The whitespace a line starts with. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** A name not yet used as a word anywhere in `texts`: `base`, else `base2`, `base3`, … */
export function unusedName(base: string, texts: readonly string[], taken: Pick<ReadonlySet<string>, 'has'> = new Set()): string {
  const isUsed = (name: string) =>
    taken.has(name) || texts.some((text) => new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text));
  if (!isUsed(base)) return base;
  for (let n = 2; ; n++) if (!isUsed(`${base}${n}`)) return `${base}${n}`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isWordCharacter = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;

/** Whether `text` has `word` as a whole word (`[$\w]+`): a search, with nothing built per text. */
export const mentionsWord = (text: string, word: string): boolean => wordAt(text, word) !== -1;

/** Where `text` first has `word` as a whole word (`[$\w]+`), or -1. */
export function wordAt(text: string, word: string): number {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (!isWordCharacter(text.charCodeAt(at - 1)) && !isWordCharacter(text.charCodeAt(at + word.length))) return at;
  }
  return -1;
}
