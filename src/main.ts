import { buildClients } from './backends/index.ts';
import { type Config, loadConfig, TOOLSETS, USAGE } from './config.ts';
import { ConfigError } from './errors.ts';
import { log, setLogLevel } from './log.ts';
import { offeredTools, type ServerDeps } from './server.ts';
import { startStdio } from './transports/stdio.ts';
import { VERSION } from './version.ts';

async function main(argv: string[]): Promise<void> {
  let config: Config;
  try {
    if (argv.includes('--help') || argv.includes('-h')) return void process.stderr.write(`${USAGE}\n`);
    if (argv.includes('--version') || argv.includes('-v')) return void process.stderr.write(`${VERSION}\n`);
    config = loadConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mailops-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  setLogLevel(config.logLevel);

  const closers: Array<() => Promise<void>> = [];
  // Handlers first: a signal may arrive as soon as the server has announced itself.
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { why });
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    for (const close of closers) await close().catch((err: Error) => log.warn('close failed', { error: err.message }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let backends = config.backends;
  if (config.sandbox) {
    // Loaded on demand: the stdio path starts faster without the emulators and the HTTP stack.
    const { startSandboxes } = await import('./sandbox/index.ts');
    // MAILCOW_API_STYLE=native tries the native API style on the sandbox.
    const sandbox = await startSandboxes('127.0.0.1', {
      mailcowStyle: process.env.MAILCOW_API_STYLE === 'native' ? 'native' : 'rest',
    });
    closers.push(sandbox.close);
    backends = sandbox.configs;
    log.info(
      'sandbox backends started',
      Object.fromEntries(Object.entries(sandbox.configs).map(([k, v]) => [k, v.url])),
    );
  }
  const clients = buildClients(backends, { timeoutMs: config.timeoutMs, maxRetryWaitMs: config.maxRetryWaitMs });
  const configured = Object.keys(clients);
  if (configured.length === 0) {
    log.warn(
      `no backend is configured: set the variables of at least one of ${TOOLSETS.join(', ')}, or start with --sandbox`,
    );
  }
  for (const t of config.selection.toolsets ?? []) {
    if (!configured.includes(t)) log.warn(`toolset ${t} was asked for but its backend is not configured`);
  }
  const deps: ServerDeps = { clients, selection: config.selection, rails: config.rails };
  log.info('mailops-mcp starting', {
    version: VERSION,
    mode: config.mode,
    backends: configured,
    tools: offeredTools(deps).length,
  });

  if (config.mode === 'http') {
    const { startHttp } = await import('./transports/http.ts');
    const http = await startHttp(deps, config.http);
    closers.unshift(http.close);
  } else {
    const stdio = startStdio(deps);
    closers.unshift(stdio.close);
    process.stdin.once('end', () => void shutdown('stdin closed'));
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  log.error('fatal', { error: err.stack ?? err.message });
  process.exit(1);
});
