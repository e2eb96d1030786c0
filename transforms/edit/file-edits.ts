/** All edits of one run: one MagicString per touched file, plus files created from scratch. */
import MagicString from 'magic-string';
import type { ParsedFile, Script } from '../analyse/parse.js';
import type { SourceIndex } from '../analyse/source-index.js';
import { detectStyle, houseStyle } from '../text.js';
import type { ProjectFiles } from '../types.js';
import type { ScriptEditor } from './script-edits.js';

export class FileEdits {
  private readonly strings = new Map<string, MagicString>();
  private readonly created = new Map<string, string>();

  constructor(
    readonly files: ProjectFiles,
    readonly index: SourceIndex,
  ) {}

  forFile(path: string): MagicString {
    let edits = this.strings.get(path);
    if (!edits) this.strings.set(path, (edits = new MagicString(this.files.get(path) ?? '')));
    return edits;
  }

  editor(file: ParsedFile, script: Script): ScriptEditor {
    return { text: file.text, script, scripts: file.scripts, edits: this.forFile(file.path), style: detectStyle(file.text, houseStyle(this.index.project)) };
  }

  create(path: string, content: string): void {
    this.created.set(path, content);
  }

  /** New content of every file that changed or was created. */
  result(): Map<string, string> {
    const output = new Map(this.created);
    for (const [path, edits] of this.strings) if (edits.hasChanged()) output.set(path, edits.toString());
    return output;
  }
}
