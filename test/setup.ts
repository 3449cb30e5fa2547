import fc from 'fast-check';
import { setLogLevel } from '../src/log.ts';

// Tests that read log lines raise the level themselves.
setLogLevel('silent');

// CI replays one fixed seed, so a failure there reproduces exactly; local runs explore new cases every time
// (fast-check prints the seed of a failing run: FC_SEED=<seed> replays it).
if (process.env.CI || process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261121) });

// No test writes to ~/.local: the audit log is off unless a test points it somewhere temporary.
process.env.MAILOPS_AUDIT_LOG = 'off';
