import type { Page, Row } from '../../backends/zammad/types.ts';

/** Article bodies longer than this are cut in the default output. */
export const BODY_MAX = 4000;

/**
 * The default (compact) view of a Zammad record: `preferences` (notification matrices and the like) and empty lists go.
 * The boundary then drops null, empty-string and empty-object fields. `full: true` skips all of it.
 */
export function slim(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(slim);
  if (!value || typeof value !== 'object') return value;
  const out: Row = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'preferences' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = slim(v);
  }
  return out;
}

/** Cuts a long article body and says how to read all of it. */
export function cutBody(article: Row): Row {
  const body = article.body;
  if (typeof body !== 'string' || body.length <= BODY_MAX) return article;
  return {
    ...article,
    body: body.slice(0, BODY_MAX),
    body_cut: `${BODY_MAX} of ${body.length} characters shown; zammad_list_ticket_articles with full: true returns the whole body`,
  };
}

export const record = (r: Row, full?: boolean): Row => (full ? r : (slim(r) as Row));
export const article = (r: Row, full?: boolean): Row => (full ? r : cutBody(slim(r) as Row));
export const page = (p: Page): Page => ({ ...p, items: p.items.map((r) => record(r)) });
