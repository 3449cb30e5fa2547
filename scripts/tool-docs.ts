// Builds the README's tool reference from the tool tables, so the two cannot drift apart.
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';

export const BEGIN = '<!-- BEGIN GENERATED TOOLS (npm run docs) -->';
export const END = '<!-- END GENERATED TOOLS -->';

const NAMES: Record<string, string> = {
  mailcow: 'mailcow (Email Management API)',
  rackspace: 'Rackspace Email (Exchange)',
  zammad: 'Zammad',
  zimbra: 'Zimbra contacts',
};

type Node = { type?: string; format?: string };
type Prop = Node & { enum?: string[]; items?: Node; description?: string };

/** The listing leaves `type: "string"` out beside a `format`; an untyped node is an object. */
const typeOf = (n: Node | undefined) => n?.type ?? (n?.format ? 'string' : 'object');

function param(name: string, p: Prop, required: boolean): string {
  const type = p.enum ? p.enum.join('\\|') : p.type === 'array' ? `${typeOf(p.items)}[]` : typeOf(p);
  return `${required ? `**${name}**` : name} (${type})`;
}

export function toolReference(): string {
  const out: string[] = [];
  for (const toolset of [...new Set(allTools.map((t) => t.toolset))]) {
    const tools = allTools.filter((t) => t.toolset === toolset);
    out.push(
      `### ${NAMES[toolset] ?? toolset} (${tools.length} tools)`,
      '',
      '| Tool | What it does | Parameters | Kind |',
      '|---|---|---|---|',
    );
    for (const t of tools) {
      const schema = listedSchema(toolInput(t), 'input') as { properties?: Record<string, Prop>; required?: string[] };
      const req = new Set(schema.required ?? []);
      const params = Object.entries(schema.properties ?? {})
        .map(([n, p]) => param(n, p, req.has(n)))
        .join(', ');
      const kind = t.hints.readOnly ? 'read-only' : t.hints.destructive ? 'destructive, confirmed' : 'write';
      out.push(`| \`${t.name}\` | ${t.description.replace(/\|/g, '\\|')} | ${params || '–'} | ${kind} |`);
    }
    out.push('');
  }
  return out.join('\n').trim();
}

export function withReference(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, a + BEGIN.length)}\n\n${toolReference()}\n\n${readme.slice(b)}`;
}
