// Bundles the floor and the limit the way scripts/build.mjs bundles the server (minified ESM, code that is not always needed in chunks of its own).
import { build } from 'esbuild';

await build({
  entryPoints: { floor: 'bench/floor.ts', limit: 'bench/limit.ts' },
  outdir: '.bench',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
