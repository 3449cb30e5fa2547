import { setLogLevel } from '../src/log.ts';

// Tests that read log lines raise the level themselves.
setLogLevel('silent');
