import { InputError } from '../../errors.ts';
import type { ModifySpec, NewContact } from './types.ts';

// The seed's ModifyContact rules (catalog 4.4), checked before anything is sent.

export interface Problem {
  path: (string | number)[];
  message: string;
}

const isBlank = (s: string | undefined) => s === undefined || s.trim() === '';
const groupTyped = (attrs: { name: string; value?: string }[] | undefined) =>
  attrs?.some((a) => a.name === 'type' && a.value === 'group') ?? false;

export function modifyProblems(s: Pick<ModifySpec, 'attrs' | 'members' | 'replace'>): Problem[] {
  const out: Problem[] = [];
  const replace = s.replace === true;
  s.attrs?.forEach((a, i) => {
    if (isBlank(a.name)) out.push({ path: ['attrs', i, 'name'], message: 'must not be blank' });
    if (replace && a.op) out.push({ path: ['attrs', i, 'op'], message: 'must not be set when replace is true' });
    if (a.op && (a.value ?? '') === '')
      out.push({ path: ['attrs', i, 'value'], message: `required (non-empty) with op "${a.op}"` });
    if ((a.item_id === undefined) !== (a.part === undefined)) {
      out.push({
        path: ['attrs', i, a.part === undefined ? 'part' : 'item_id'],
        message: 'item_id and part go together',
      });
    }
  });
  s.members?.forEach((m, i) => {
    if (replace && m.op) out.push({ path: ['members', i, 'op'], message: 'must not be set when replace is true' });
    if (!replace && !m.op) out.push({ path: ['members', i, 'op'], message: 'required unless replace is true' });
    if (m.op === 'reset') return;
    if (!m.type) out.push({ path: ['members', i, 'type'], message: `required with op "${m.op ?? 'replace'}"` });
    if (isBlank(m.value))
      out.push({ path: ['members', i, 'value'], message: `required with op "${m.op ?? 'replace'}"` });
  });
  if (s.members?.length) {
    const typeAttr = s.attrs?.find((a) => a.name === 'type' && !a.op);
    // Replace rewrites every attribute, so the new ones must keep the contact a group; a merge may turn it into one.
    if (replace ? !groupTyped(s.attrs) : typeAttr && typeAttr.value !== 'group') {
      out.push({ path: ['members'], message: 'only for contact groups (attrs must keep type=group)' });
    }
  }
  return out;
}

export function createProblems(s: Pick<NewContact, 'attrs' | 'members'>): Problem[] {
  const out: Problem[] = [];
  for (const name of Object.keys(s.attrs))
    if (isBlank(name)) out.push({ path: ['attrs'], message: 'attribute names must not be blank' });
  if (s.members?.length && s.attrs.type !== 'group')
    out.push({ path: ['members'], message: 'only for contact groups (set attrs.type to "group")' });
  return out;
}

/** Throws the first problem as an InputError naming its field. */
export function assertNone(problems: Problem[]): void {
  const p = problems[0];
  if (p) throw new InputError(fieldName(p.path), p.message);
}

export function fieldName(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
}
