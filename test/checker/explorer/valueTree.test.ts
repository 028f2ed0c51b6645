import { describe, expect, it } from 'vitest';
import { type TreeNode, valueTree } from '../../../checker/explorer/valueTree.ts';

/** The node at a label path, e.g. ['journal', '[0]', 'seq']. */
const at = (n: TreeNode, ...labels: string[]): TreeNode =>
  labels.reduce((node, l) => {
    if (node.t === 'leaf') throw new Error(`no ${l} under a leaf`);
    const kid = node.kids.find(([k]) => k === l);
    if (!kid) throw new Error(`no ${l}`);
    return kid[1];
  }, n);

describe('valueTree', () => {
  const before = { n: 1, journal: [{ seq: 1, w: 0 }, { seq: 1, w: 1 }], flags: new Set(['a']), map: new Map([['k', 1]]), same: { x: [1, 2] } };

  it('marks nothing in an initial state', () => {
    const t = valueTree(before);
    expect(JSON.stringify(t)).not.toMatch(/changed|added|gone/);
    expect(at(t, 'journal', '[1]', 'w')).toEqual({ t: 'leaf', text: '1' });
  });

  it('marks a changed leaf with its old value, and every container above it', () => {
    const after = { ...before, journal: [before.journal[0], { seq: 2, w: 1 }] };
    const t = valueTree(after, before);
    expect(at(t, 'journal', '[1]', 'seq')).toEqual({ t: 'leaf', text: '2', changed: true, was: '1' });
    expect(at(t, 'journal', '[1]').changed).toBe(true);
    expect(at(t, 'journal').changed).toBe(true);
    expect(t.changed).toBe(true);
    // Unchanged parts stay unmarked (the page collapses them).
    expect(at(t, 'journal', '[0]').changed).toBeUndefined();
    expect(at(t, 'same').changed).toBeUndefined();
    expect(at(t, 'n').changed).toBeUndefined();
  });

  it('marks parts that appear and names those that are gone', () => {
    const after = { ...before, journal: [before.journal[0]], flags: new Set(['a', 'b']), map: new Map([['j', 1]]), extra: 3 };
    const t = valueTree(after, before);
    expect(at(t, 'extra')).toMatchObject({ added: true, text: '3' });
    expect(at(t, 'flags', '"b"')).toMatchObject({ added: true });
    expect(at(t, 'flags', '"a"').added).toBeUndefined();
    const journal = at(t, 'journal');
    expect(journal.t !== 'leaf' && journal.gone).toEqual([['[1]', '{seq: 1, w: 1}']]);
    expect(journal.changed).toBe(true); // only a removal: still a change, so the page opens it
    const map = at(t, 'map');
    expect(map.t !== 'leaf' && map.gone).toEqual([['"k"', '1']]);
    expect(at(t, 'map', '"j"')).toMatchObject({ added: true });
  });

  it('a value that changes kind is a change, with its old rendering', () => {
    const t = valueTree({ v: [1] }, { v: null });
    expect(at(t, 'v')).toMatchObject({ t: 'array', changed: true });
    expect(valueTree({ v: 3 }, { v: [1] }).t === 'record' && at(valueTree({ v: 3 }, { v: [1] }), 'v')).toEqual({ t: 'leaf', text: '3', changed: true, was: '[1]' });
  });
});
