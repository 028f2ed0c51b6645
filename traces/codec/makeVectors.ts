/**
 * Writes traces/vectors/codec.json from `vectors.ts`. Run it only when the vectors are
 * meant to change (a new version of the layout, a new case); the test
 * test/traces/codecVectors.test.ts fails whenever the file and the code disagree.
 *
 * Usage: tsx traces/codec/makeVectors.ts [output path]
 */
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../../checker/atomicWrite.ts';
import { vectorFileText } from './vectors.ts';

const out = process.argv[2] ?? fileURLToPath(new URL('../vectors/codec.json', import.meta.url));
writeFileAtomicSync(out, vectorFileText());
process.stdout.write(`wrote ${out}\n`);
