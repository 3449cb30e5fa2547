import { buildClients, type Clients } from './backends/index.ts';
import { print } from './cli/print.ts';
import { type Config, loadConfig, TOOLSETS } from './config.ts';
import { ConfigError } from './errors.ts';
import { buildInstanceClients, firstClients } from './instances/clients.ts';
import type { Fleet, Instance } from './instances/file.ts';
import { toolNamesByBackend } from './instances/index.ts';
import { log, setLogLevel } from './log.ts';
import { offeredTools, type ServerDeps } from './server.ts';
import { toolNames } from './tools/heads.ts';
import { startStdio } from './transports/stdio.ts';
import { VERSION } from './version.ts';

async function main(all: string[]): Promise<void> {
  let config: Config;
  const isDoctor = all[0] === 'doctor';
  const argv = isDoctor ? all.slice(1) : all;
  let fleet: Fleet | undefined;
  const warnings: string[] = [];
  try {
    if (argv.includes('--help') || argv.includes('-h')) return print((await import('./cli/help.ts')).USAGE);
    if (argv.includes('--version') || argv.includes('-v')) return print(VERSION);
    config = loadConfig(argv, process.env, toolNames);
    if (config.instancesFile) {
      const { loadInstancesFile, unite } = await import('./instances/file.ts');
      const file = await loadInstancesFile(config.instancesFile, process.env, toolNamesByBackend(), config.sandbox);
      warnings.push(...file.warnings);
      fleet = unite(file.fleet, config.backends);
    }
    const configured = fleet ? Object.values(fleet).some((l) => (l?.length ?? 0) > 0) : false;
    if (!config.sandbox && Object.keys(config.backends).length === 0 && !configured) throw new ConfigError(NO_BACKEND);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mailops-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  setLogLevel(config.logLevel);
  for (const w of warnings) log.warn(w);

  const closers: Array<() => Promise<void>> = [];
  // Handlers first: a signal may arrive as soon as the server has announced itself.
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { why });
    // Whatever still runs (a backend call, a sandbox emulator), the process is gone within 2 s.
    const force = setTimeout(() => process.exit(0), 1500);
    force.unref();
    for (const close of closers) await close().catch((err: Error) => log.warn('close failed', { error: err.message }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  let backends = config.backends;
  if (config.sandbox && fleet) {
    // One emulator per instance of the file, each in its own state and the instance's API style.
    const { startFleetSandboxes } = await import('./sandbox/index.ts');
    const sandbox = await startFleetSandboxes(fleet, '127.0.0.1');
    closers.push(sandbox.close);
    fleet = sandbox.fleet;
    log.info(
      'sandbox instances started',
      Object.fromEntries(Object.entries(sandbox.emulators).map(([k, e]) => [k, e.url])),
    );
  } else if (config.sandbox) {
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
  const opts = { timeoutMs: config.timeoutMs, maxRetryWaitMs: config.maxRetryWaitMs };
  const instances = fleet ? buildInstanceClients(fleet, opts) : undefined;
  const clients = instances ? firstClients(instances) : buildClients(backends, opts);
  const configured = Object.keys(clients);
  if (isDoctor) {
    const { checks, doctor } = await import('./cli/doctor.ts');
    const list = fleet
      ? (Object.entries(fleet) as Array<[keyof Clients, Instance<unknown>[] | undefined]>).flatMap(([b, l]) =>
          (l ?? []).flatMap((i, n) =>
            checks({ [b]: instances?.[b]?.[n]?.client }, { [b]: i.config }).map((c) => ({
              ...c,
              name: `${c.name}/${i.name}`,
            })),
          ),
        )
      : checks(clients, backends);
    const ok = await doctor(list, print, config.timeoutMs);
    for (const close of closers) await close();
    process.exit(ok ? 0 : 1);
  }
  for (const t of config.selection.toolsets ?? []) {
    if (!configured.includes(t)) log.warn(`toolset ${t} was asked for but its backend is not configured`);
  }
  const deps: ServerDeps = { clients, instances, selection: config.selection, rails: config.rails };
  log.info('mailops-mcp starting', {
    version: VERSION,
    mode: config.mode,
    backends: configured,
    tools: offeredTools(deps).length,
    ...(instances && {
      instances: Object.fromEntries(Object.entries(instances).map(([b, l]) => [b, l?.map((i) => i.name)])),
    }),
  });

  if (config.mode === 'http') {
    const { startHttp } = await import('./transports/http.ts');
    const http = await startHttp(deps, config.http).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      process.stderr.write(
        `mailops-mcp: port ${config.http.port} on ${config.http.host} is in use: stop what uses it, or pick another with --port\n`,
      );
      process.exit(2);
    });
    closers.unshift(http.close);
  } else {
    // stdin ending or stdout breaking (EPIPE) closes the connection, and that ends the process in every mode.
    const stdio = startStdio(deps, () => void shutdown('stdio connection closed'));
    closers.unshift(stdio.close);
  }
}

const NO_BACKEND = `no backend is configured: set the variables of at least one of ${TOOLSETS.join(', ')} (MAILCOW_URL + MAILCOW_API_KEY, ZAMMAD_URL + ZAMMAD_TOKEN, ZIMBRA_URL + ZIMBRA_USERNAME + ZIMBRA_PASSWORD, or RACKSPACE_USER_KEY + RACKSPACE_SECRET_KEY + RACKSPACE_CUSTOMER_ID), or start with --sandbox; see mailops-mcp --help`;

main(process.argv.slice(2)).catch((err: Error) => {
  log.error('fatal', { error: err.stack ?? err.message });
  process.exit(1);
});
