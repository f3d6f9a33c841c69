import * as fs from 'fs';
import * as path from 'path';

// Every relative link of README.md and docs/*.md reaches a file of the
// repository, and a link to a heading reaches a heading of that file.

const ROOT = path.join(__dirname, '..', '..');
const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

/** The relative links of a page (code blocks and inline code left out). */
function linksOf(page: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link));
}

describe('the links of README.md and docs/', () => {
  test.each(pages)('every relative link of %s reaches its file and heading', (page) => {
    const broken = linksOf(page).filter((link) => {
      const [target, anchor] = link.split('#');
      const file = target ? path.resolve(path.dirname(path.join(ROOT, page)), target) : path.join(ROOT, page);
      if (!fs.existsSync(file)) {
        return true;
      }
      return anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  test('the README links every page of docs/', () => {
    const linked = new Set(linksOf('README.md').filter((l) => l.startsWith('docs/')).map((l) => l.split('#')[0]));
    expect(pages.filter((p) => p.startsWith('docs/') && p !== 'docs/bench.md' && !linked.has(p))).toEqual([]);
  });

  test('anchors are read as GitHub writes them, so a broken one is caught', () => {
    expect(anchorOf('Moving over from lambda.Function')).toBe('moving-over-from-lambdafunction');
    expect(anchorsOf(path.join(ROOT, 'README.md')).has('other-languages')).toBe(true);
  });
});
