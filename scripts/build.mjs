// Bundles the server into one ESM file: clients spawn it on every launch, and one file starts fastest.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { banner, bundleOptions } from './bundle-options.mjs';

// Every tool's head and tools/list entry, computed here by the SDK from this very source, go into the
// bundle (src/tools/prebuilt.ts), so that a start neither loads a tool table nor converts a schema.
const tmp = mkdtempSync(join(tmpdir(), 'mailops-listing-'));
await build({
  stdin: {
    contents:
      "import { allTools } from './src/tools/index.ts'; import { headOf } from './src/tools/heads.ts';" +
      "import { referenceListing } from './src/tools/listing.ts';" +
      'process.stdout.write(JSON.stringify({ heads: allTools.map(headOf), listing: await referenceListing(allTools) }));',
    resolveDir: '.',
    loader: 'ts',
  },
  outfile: join(tmp, 'listing.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner,
  logLevel: 'warning',
});
const listing = execFileSync(process.execPath, [join(tmp, 'listing.mjs')], { encoding: 'utf8', maxBuffer: 64 << 20 });
rmSync(tmp, { recursive: true, force: true });
JSON.parse(listing);
const prebuilt = {
  name: 'prebuilt-listing',
  setup(b) {
    b.onLoad({ filter: /src[\\/]tools[\\/]prebuilt\.ts$/ }, () => ({
      // JSON.parse of a string reads faster than a literal this size is compiled.
      contents: `export const prebuilt = JSON.parse(${JSON.stringify(listing)});`,
      loader: 'js',
    }));
  },
};

rmSync('dist', { recursive: true, force: true });

await build({
  ...bundleOptions,
  entryPoints: { 'mailops-mcp': 'src/main.ts' },
  outdir: 'dist',
  // The SDK's Node shim would load AJV (153 KB) at every start for a validator the server replaces anyway.
  alias: { '@modelcontextprotocol/server/_shims': './src/sdk/shims.ts' },
  plugins: [prebuilt],
});

// The shebang goes on the entry only (chunks share the banner, which must stay valid ESM).
const entry = 'dist/mailops-mcp.js';
writeFileSync(entry, `#!/usr/bin/env node\n${readFileSync(entry, 'utf8')}`);
chmodSync(entry, 0o755);
