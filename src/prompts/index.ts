import type { McpServer } from '@modelcontextprotocol/server';

/** Workflow prompts (issue 8) register here; each is offered only when every tool it names is offered. */
export function registerPrompts(_server: McpServer, _offered: ReadonlySet<string>): void {}
