import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../checker/atomicWrite.ts';

const dir = mkdtempSync(join(tmpdir(), 'shuttlecheck-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the whole text, replaces an existing file and leaves no temporary file', async () => {
    const p = join(dir, 'trace.itf.json');
    writeFileSync(p, 'old');
    await writeFileAtomic(p, 'new ✓\n');
    expect(readFileSync(p, 'utf8')).toBe('new ✓\n');
    writeFileAtomicSync(p, 'newer\n');
    expect(readFileSync(p, 'utf8')).toBe('newer\n');
    expect(readdirSync(dir)).toEqual(['trace.itf.json']);
  });

  it('fails without side effects when the directory does not exist', async () => {
    const p = join(dir, 'missing', 'x.json');
    await expect(writeFileAtomic(p, 'x')).rejects.toThrow(/ENOENT/);
    expect(() => writeFileAtomicSync(p, 'x')).toThrow(/ENOENT/);
  });

  it('removes its temporary file when the rename fails and keeps the target untouched', async () => {
    const target = join(dir, 'adir');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(target)).toEqual(['inside']);
  });
});
