import type { ToolHead } from '../tools/heads.ts';

/** Catalog §7: what a token may do, from its `scope` claim. Levels include the ones below them. */
export const LEVELS = ['read', 'write', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

interface Entry {
  backend?: string;
  instance?: string;
  level: Level;
}

export interface Grant {
  entries: readonly Entry[];
}

const SCOPE = /^mailops:(?:([a-z]+)(?:\/([a-z][a-z0-9_-]{0,31}))?:)?(read|write|admin)$/;

/** The mailops scopes among a token's scopes; anything else (openid, other resources' scopes) is ignored. */
export function parseGrant(scopes: readonly string[]): Grant {
  const entries: Entry[] = [];
  for (const s of scopes) {
    const m = SCOPE.exec(s);
    if (m) entries.push({ backend: m[1], instance: m[2], level: m[3] as Level });
  }
  return { entries };
}

/** The level a tool needs: reads need `read`, destructive tools `admin`, every other write `write`. */
export function levelOf(t: ToolHead): Level {
  if (t.hints.readOnly) return 'read';
  return t.hints.destructive ? 'admin' : 'write';
}

const rank = (l: Level) => LEVELS.indexOf(l);

/**
 * Whether the grant allows the tool. `instance` undefined asks "for some instance" (listing); a call
 * names the instance it runs on.
 */
export function allows(grant: Grant, t: ToolHead, instance?: string): boolean {
  const need = rank(levelOf(t));
  return grant.entries.some(
    (e) =>
      rank(e.level) >= need &&
      (e.backend === undefined || e.backend === t.toolset) &&
      (e.instance === undefined || instance === undefined || e.instance === instance),
  );
}

/** The narrowest scope that would allow the call: what a 403 challenge asks the client to step up to. */
export function neededScope(t: ToolHead, instance?: string): string {
  const where = instance ? `${t.toolset}/${instance}` : t.toolset;
  return `mailops:${where}:${levelOf(t)}`;
}

/** The scopes a resource server of these backends understands, for its metadata document. */
export function supportedScopes(toolsets: readonly string[]): string[] {
  return [...LEVELS.map((l) => `mailops:${l}`), ...toolsets.flatMap((b) => LEVELS.map((l) => `mailops:${b}:${l}`))];
}
