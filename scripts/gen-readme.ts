import { readFileSync, writeFileSync } from 'node:fs';
import { withReference } from './tool-docs.ts';

const before = readFileSync('README.md', 'utf8');
const after = withReference(before);
if (after !== before) writeFileSync('README.md', after);
console.error(after === before ? 'README.md tool reference is up to date' : 'README.md tool reference regenerated');
