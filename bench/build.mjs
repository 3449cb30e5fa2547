// Bundles the floor and the limit exactly as scripts/build.mjs bundles the server.
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.mjs';

await build({
  ...bundleOptions,
  entryPoints: { floor: 'bench/floor.ts', limit: 'bench/limit.ts' },
  outdir: '.bench',
});
