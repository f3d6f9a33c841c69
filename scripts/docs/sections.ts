// The parts of README.md and docs/*.md written from the code: each sits between
// two markers and is rewritten by `npx projen docs:generate`; a test fails when
// a committed one is stale.
import * as fs from 'fs';
import * as path from 'path';

/** A section of a Markdown file that the code writes. */
export interface GeneratedSection {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The section's name in its markers. */
  readonly name: string;
  /** What the section is generated from, as its start marker says. */
  readonly source: string;
  /** The section's body (the Markdown between the markers). */
  render(): string;
}

export const ROOT = path.join(__dirname, '..', '..');

export function startMarker(section: GeneratedSection): string {
  return `<!-- generated:${section.name} from ${section.source} by \`npx projen docs:generate\`: do not edit -->`;
}

export function endMarker(section: GeneratedSection): string {
  return `<!-- /generated:${section.name} -->`;
}

/** The body between a section's markers in `text`; an error naming the markers when they are missing. */
export function committedBody(text: string, section: GeneratedSection): string {
  const start = text.indexOf(startMarker(section));
  const end = text.indexOf(endMarker(section));
  if (start < 0 || end < start) {
    throw new Error(`${section.file} has no markers for the generated section ${section.name}: ${startMarker(section)} ... ${endMarker(section)}`);
  }
  return text.slice(start + startMarker(section).length, end);
}

/** `text` with the section's body replaced by `body`. */
export function withBody(text: string, section: GeneratedSection, body: string): string {
  committedBody(text, section);
  const start = text.indexOf(startMarker(section)) + startMarker(section).length;
  return text.slice(0, start) + body + text.slice(text.indexOf(endMarker(section)));
}

/** The body as the markers enclose it: a blank line either side, so Markdown reads a table as a table. */
export function enclosed(markdown: string): string {
  return `\n\n${markdown.trim()}\n\n`;
}

/** Rewrites every section of `sections` in its file; returns the files that changed. */
export function writeSections(sections: readonly GeneratedSection[]): string[] {
  const changed: string[] = [];
  for (const section of sections) {
    const file = path.join(ROOT, section.file);
    const text = fs.readFileSync(file, 'utf8');
    const next = withBody(text, section, enclosed(section.render()));
    if (next !== text) {
      fs.writeFileSync(file, next);
      changed.push(section.file);
    }
  }
  return changed;
}
