import type { PathSegment } from './load.js';

export type Rec = Record<string, unknown>;
export const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
export const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

export interface Located<T> { value: T; path: PathSegment[] }

/** Internet endpoints of a device file (group uses excluded) or of a vendor file's groups. */
export function* endpointsOf(data: unknown): Generator<Located<Rec>> {
  if (!isRecord(data)) return;
  const list = asArray(data.endpoints);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (isRecord(e) && !('group' in e)) yield { value: e, path: ['endpoints', i] };
  }
  const groups = asArray(data.groups);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    if (!isRecord(group)) continue;
    const eps = asArray(group.endpoints);
    for (let i = 0; i < eps.length; i++) if (isRecord(eps[i])) yield { value: eps[i] as Rec, path: ['groups', g, 'endpoints', i] };
  }
}

export function* groupUsesOf(data: unknown): Generator<Located<Rec>> {
  if (!isRecord(data)) return;
  const list = asArray(data.endpoints);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (isRecord(e) && 'group' in e) yield { value: e, path: ['endpoints', i] };
  }
}

export function* localFlowsOf(data: unknown): Generator<Located<Rec>> {
  if (!isRecord(data)) return;
  const list = asArray(data.local);
  for (let i = 0; i < list.length; i++) if (isRecord(list[i])) yield { value: list[i] as Rec, path: ['local', i] };
}

/** Internet hosts Home Assistant itself calls for the device (`home-assistant.calls`). */
export function* haCallsOf(data: unknown): Generator<Located<Rec>> {
  if (!isRecord(data) || !isRecord(data['home-assistant'])) return;
  const list = asArray(data['home-assistant'].calls);
  for (let i = 0; i < list.length; i++) if (isRecord(list[i])) yield { value: list[i] as Rec, path: ['home-assistant', 'calls', i] };
}

/** Everything that carries ports: endpoints, local flows and Home Assistant's own calls. */
export function* portCarriersOf(data: unknown): Generator<Located<Rec>> {
  yield* endpointsOf(data);
  yield* localFlowsOf(data);
  yield* haCallsOf(data);
}

export function* evidenceItemsOf(data: unknown): Generator<Located<Rec>> {
  if (!isRecord(data)) return;
  const list = asArray(data.evidence);
  for (let i = 0; i < list.length; i++) if (isRecord(list[i])) yield { value: list[i] as Rec, path: ['evidence', i] };
}

/** Every place that cites evidence by id: `evidence:` lists on entries, verdict claims and when-blocked facts. */
export function* evidenceRefsOf(data: unknown): Generator<Located<string>> {
  if (!isRecord(data)) return;
  function* refs(holder: Rec, path: PathSegment[]): Generator<Located<string>> {
    const list = asArray(holder.evidence);
    for (let i = 0; i < list.length; i++) if (typeof list[i] === 'string') yield { value: list[i] as string, path: [...path, 'evidence', i] };
  }
  function* needs(holder: Rec, path: PathSegment[]): Generator<Located<string>> {
    if (!isRecord(holder.needs)) return;
    for (const fn of Object.keys(holder.needs)) {
      const claims = asArray(holder.needs[fn]);
      for (let c = 0; c < claims.length; c++) if (isRecord(claims[c])) yield* refs(claims[c] as Rec, [...path, 'needs', fn, c]);
    }
  }
  for (const e of endpointsOf(data)) { yield* refs(e.value, e.path); yield* needs(e.value, e.path); }
  for (const g of groupUsesOf(data)) yield* refs(g.value, g.path);
  for (const l of localFlowsOf(data)) { yield* refs(l.value, l.path); yield* needs(l.value, l.path); }
  for (const c of haCallsOf(data)) yield* refs(c.value, c.path);
  const blocked = data['when-blocked'];
  if (isRecord(blocked)) {
    const reports = asArray(blocked.internet);
    for (let i = 0; i < reports.length; i++) if (isRecord(reports[i])) yield* refs(reports[i] as Rec, ['when-blocked', 'internet', i]);
    if (isRecord(blocked['reject-or-drop'])) yield* refs(blocked['reject-or-drop'], ['when-blocked', 'reject-or-drop']);
  }
}
