/**
 * The repository stands on its own: no tracked file points the reader at a document the
 * repository does not have (the requirement page or the patent text it was written from),
 * and the README names the patents the protocol comes from, so a reader can find them.
 * Definitions live in model/PROTOCOL.md; figure and step numbers refer to US 7,158,976.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/**
 * The references that point outside the repository. Each pattern is built from pieces so
 * that this file, which is tracked too, does not contain the text it looks for.
 */
const FORBIDDEN: readonly { readonly what: string; readonly re: RegExp }[] = [
  { what: 'a section of the requirement page', re: new RegExp('\\bSP' + 'EC\\s+\\d') },
  { what: 'the patent text under another name', re: new RegExp('\\bthe s' + 'eed\\b', 'i') },
  { what: 'a file of the directory the patent text was in', re: new RegExp('se' + 'ed/') },
  { what: 'the patent text file', re: new RegExp('spatial-' + 'domain-mechanism') },
];

/** Every tracked text file (package-lock.json is generated, and not ours to word). */
const trackedFiles = (): string[] =>
  execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== 'package-lock.json');

/** `file:line: text` for each line of `text` that a forbidden pattern matches. */
const outsideReferences = (file: string, text: string): string[] =>
  text.split('\n').flatMap((line, k) =>
    FORBIDDEN.filter((f) => f.re.test(line)).map((f) => `${file}:${k + 1}: ${f.what}: ${line.trim().slice(0, 120)}`),
  );

describe('the repository stands on its own', () => {
  it('the patterns catch each kind of outside reference, and pass our own wording', () => {
    const bad = [['SP', 'EC 4.1.5'], ['see the', ' seed'], ['se', 'ed/notes.txt'], ['spatial-', 'domain-mechanism.txt']].map((p) => p.join(''));
    for (const line of bad) expect(outsideReferences('x.md', line), line).toHaveLength(1);
    const good = [
      'PROTOCOL.md §3, apply order',
      "the '976 patent, Fig 19 step 388",
      'random: the random seed (default 0); same seed, same walks',
      'walker 0 keeps the run\'s seed itself; --seed N; walkerSeed',
      'ModelSpec, checkSpec',
    ];
    for (const line of good) expect(outsideReferences('x.md', line), line).toEqual([]);
  });

  it('no tracked file refers to a document the repository does not have', () => {
    const found = trackedFiles().flatMap((f) => {
      const path = resolve(root, f);
      if (!existsSync(path) || !lstatSync(path).isFile()) return []; // deleted in the work tree, a symlink or a submodule
      const bytes = readFileSync(path);
      if (bytes.includes(0)) return []; // binary
      return outsideReferences(f, bytes.toString('utf8'));
    });
    expect(found, 'say it in model/PROTOCOL.md and point there, or name the patent').toEqual([]);
  });

  it('the README names the patents the protocol comes from, and where to read them', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    expect(readme).toContain('7,158,976');
    expect(readme).toContain('6,415,292');
    expect(readme).toContain('https://patents.google.com/patent/US7158976B1');
    expect(readme).toContain('https://patents.google.com/patent/US6415292B1');
  });
});
