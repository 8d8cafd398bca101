// Reads an RFC 8520 MUD file into a flat list of access-control entries, each tagged with the direction of
// the policy that names its ACL. Accepts the final RFC shape ("ietf-access-control-list:acls") and the
// pre-RFC shape UNSW's MUDgee wrote ("ietf-access-control-list:access-lists"); refuses anything else with
// an error that names the field.
import { isRecord, type Rec } from '../../lib/walk.js';

export class MudError extends Error {
  constructor(readonly field: string, message: string, readonly hint?: string) {
    super(`${field}: ${message}`);
  }
}

export type Direction = 'from-device' | 'to-device';

export interface MudAce {
  direction: Direction;
  /** Where the entry sits, for messages: "<acl name>/<ace name>". */
  label: string;
  matches: Rec;
}

export interface MudProfile {
  shape: 'rfc8520' | 'pre-rfc';
  url: string;
  /** YYYY-MM-DD of last-update. */
  date: string;
  systeminfo?: string;
  mfgName?: string;
  modelName?: string;
  aces: MudAce[];
  /** Entries the reader itself could not take (non-accept actions). */
  refused: { label: string; reason: string }[];
}

const MUD = 'ietf-mud:mud';
const CONTAINERS = { 'ietf-access-control-list:acls': 'rfc8520', 'ietf-access-control-list:access-lists': 'pre-rfc' } as const;

function text(mud: Rec, key: string): string | undefined {
  const v = mud[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function policyNames(mud: Rec, policy: string): string[] {
  const p = mud[policy];
  if (p === undefined) return [];
  // An empty policy container, or one whose access-lists holds no list, names no ACL: YANG allows both.
  if (!isRecord(p)) throw new MudError(`${MUD}/${policy}`, 'not an object');
  if (p['access-lists'] === undefined) return [];
  if (!isRecord(p['access-lists'])) throw new MudError(`${MUD}/${policy}/access-lists`, 'not an object');
  const list = p['access-lists']['access-list'];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new MudError(`${MUD}/${policy}/access-lists/access-list`, 'not a list');
  return list.map((item, i) => {
    if (!isRecord(item) || typeof item.name !== 'string') throw new MudError(`${MUD}/${policy}/access-lists/access-list[${i}]/name`, 'missing or not a string');
    return item.name;
  });
}

export function readMud(json: unknown): MudProfile {
  if (!isRecord(json)) throw new MudError('(document)', 'not a JSON object, so not a MUD file');
  const mud = json[MUD];
  if (!isRecord(mud)) {
    throw new MudError(MUD, 'missing: this is not a MUD file', 'an RFC 8520 MUD file is a JSON object with an "ietf-mud:mud" container and an "ietf-access-control-list:acls" container');
  }
  if (mud['mud-version'] !== 1) throw new MudError(`${MUD}/mud-version`, `is ${JSON.stringify(mud['mud-version'])}; only MUD version 1 (RFC 8520) is understood`);
  const url = text(mud, 'mud-url');
  if (!url) throw new MudError(`${MUD}/mud-url`, 'missing');
  const lastUpdate = text(mud, 'last-update');
  const date = lastUpdate?.match(/^([0-9]{4}-[0-9]{2}-[0-9]{2})T/)?.[1];
  if (!date) throw new MudError(`${MUD}/last-update`, lastUpdate ? `"${lastUpdate}" is not a YANG date-and-time` : 'missing', 'evidence needs the date the profile was made');

  const present = Object.keys(CONTAINERS).filter((k) => k in json) as (keyof typeof CONTAINERS)[];
  if (present.length === 0) {
    throw new MudError('ietf-access-control-list:acls', 'missing: the file has no access lists', 'RFC 8520 files carry their ACLs in "ietf-access-control-list:acls"');
  }
  if (present.length > 1) throw new MudError(present[1]!, `appears together with ${present[0]}; a MUD file has one ACL container`);
  const container = json[present[0]!];
  const aclList = isRecord(container) ? container.acl : undefined;
  if (!Array.isArray(aclList)) throw new MudError(`${present[0]}/acl`, 'missing or not a list');

  const acls = new Map<string, { aces: unknown[]; index: number }>();
  aclList.forEach((acl, i) => {
    const at = `${present[0]}/acl[${i}]`;
    if (!isRecord(acl)) throw new MudError(at, 'not an object');
    if ('acl-name' in acl || 'access-list-entries' in acl) {
      const field = 'acl-name' in acl ? 'acl-name' : 'access-list-entries';
      throw new MudError(`${at}/${field}`, 'is a draft-era field this importer cannot map', 'RFC 8519 names them "name" and "aces"; regenerate the profile with a current MUD tool');
    }
    if (typeof acl.name !== 'string') throw new MudError(`${at}/name`, 'missing or not a string');
    const twin = acls.get(acl.name);
    if (twin) {
      throw new MudError(`${at}/name`, `"${acl.name}" names acl[${twin.index}] too; an ACL name is the key of its list, so one of the two would be lost`, 'give each ACL its own name (yanglint refuses this file as well)');
    }
    const aces = isRecord(acl.aces) ? acl.aces.ace : undefined;
    if (!Array.isArray(aces)) throw new MudError(`${at}/aces/ace`, 'missing or not a list');
    acls.set(acl.name, { aces, index: i });
  });

  const from = policyNames(mud, 'from-device-policy');
  const to = policyNames(mud, 'to-device-policy');
  if (from.length + to.length === 0) throw new MudError(`${MUD}/from-device-policy`, 'neither from-device-policy nor to-device-policy names an access list');

  const profile: MudProfile = {
    shape: CONTAINERS[present[0]!], url, date, aces: [], refused: [],
    ...(text(mud, 'systeminfo') ? { systeminfo: text(mud, 'systeminfo') } : {}),
    ...(text(mud, 'mfg-name') ? { mfgName: text(mud, 'mfg-name') } : {}),
    ...(text(mud, 'model-name') ? { modelName: text(mud, 'model-name') } : {}),
  };
  const take = (names: string[], direction: Direction, policy: string) => {
    names.forEach((name, n) => {
      const acl = acls.get(name);
      if (!acl) throw new MudError(`${MUD}/${policy}/access-lists/access-list[${n}]/name`, `names ACL "${name}", which ${present[0]} does not define`);
      acl.aces.forEach((ace, i) => {
        const at = `${present[0]}/acl[${acl.index}]/aces/ace[${i}]`;
        if (!isRecord(ace)) throw new MudError(at, 'not an object');
        const label = `${name}/${typeof ace.name === 'string' ? ace.name : `ace[${i}]`}`;
        const forwarding = isRecord(ace.actions) ? ace.actions.forwarding : 'accept';
        if (forwarding !== undefined && forwarding !== 'accept') {
          profile.refused.push({ label, reason: `action is ${JSON.stringify(forwarding)}, not accept: only allowed traffic is recorded` });
          return;
        }
        if (!isRecord(ace.matches)) throw new MudError(`${at}/matches`, 'missing or not an object');
        profile.aces.push({ direction, label, matches: ace.matches });
      });
    });
  };
  take(from, 'from-device', 'from-device-policy');
  take(to, 'to-device', 'to-device-policy');
  return profile;
}
