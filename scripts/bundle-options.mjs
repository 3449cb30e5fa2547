// How every bundle of this project is built (the server in scripts/build.mjs, the bench's floor and limit in
// bench/build.mjs): one minified ESM file per entry, code that is not always needed in chunks of its own.
export const banner = {
  js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
};

export const bundleOptions = {
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  banner,
  logLevel: 'warning',
};
