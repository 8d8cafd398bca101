// Shapes of the YAML files in devices/, as the schemas define them. Rules must not trust these types
// until the schema check passes: a rule reads through `asRecord`/`asArray` guards.
// The vocabulary shared with the bundle is defined once, in the bundle's published types.
import type { Effect, EvidenceType, NeedFunction, VerdictWord } from '../build/types.js';

export type { Effect, EvidenceType, NeedFunction, VerdictWord };
export const VERDICT_WORDS: readonly VerdictWord[] = ['required', 'not-required', 'setup-only', 'unknown'];
export const NEED_FUNCTIONS: readonly NeedFunction[] = ['vendor-app', 'home-assistant'];

export interface VerdictClaim { verdict: VerdictWord; evidence: string[]; note?: string }
export type Verdict = VerdictWord | VerdictClaim[];
export type Needs = Record<NeedFunction, Verdict>;
export type Protocol = 'tcp' | 'udp' | 'tcp+udp' | 'icmp' | 'icmpv6' | 'unknown';
export type PortItem = number | string;

export interface SourceEndpoint {
  host?: string;
  address?: string;
  'any-destination'?: true;
  'reported-name'?: string;
  protocol: Protocol;
  'ip-version'?: 4 | 6;
  ports?: PortItem[];
  'source-ports'?: PortItem[];
  'icmp-type'?: number;
  'icmp-code'?: number;
  service: string;
  purpose: string;
  party: 'first' | 'support' | 'third' | 'unknown';
  region?: string;
  needs: Needs;
  evidence: string[];
  note?: string;
}
export interface GroupUse { group: string; evidence: string[]; note?: string }
export type LocalParty = 'home-assistant' | 'vendor-app' | 'device' | 'lan' | 'same-manufacturer' | 'controller' | 'multicast' | 'broadcast';
export interface SourceLocalFlow {
  from: LocalParty;
  to: LocalParty;
  protocol: Protocol;
  'ip-version'?: 4 | 6;
  ports?: PortItem[];
  'source-ports'?: PortItem[];
  'icmp-type'?: number;
  'icmp-code'?: number;
  group?: string;
  service: string;
  purpose: string;
  needs: Needs;
  evidence: string[];
  note?: string;
}
export interface BlockedReport { 'vendor-app': Effect; 'home-assistant': Effect; note?: string; evidence: string[] }
export interface WhenBlocked {
  internet?: BlockedReport[];
  'reject-or-drop'?: { advice: 'reject' | 'either' | 'unknown'; note?: string; evidence: string[] };
}
export interface SourceEvidence {
  id: string; type: EvidenceType; date?: string; accessed?: string; source: string;
  title?: string; firmware?: string; region?: string; note?: string; quote?: string;
}
export interface SourceHaCall {
  host: string; protocol: Protocol; ports?: PortItem[]; service: string; purpose: string; evidence: string[]; note?: string;
}
export interface SourceDevice {
  id: string;
  name: string;
  aliases?: string[];
  models?: string[];
  category: string;
  connectivity?: string[];
  apps?: string[];
  'home-assistant'?: { integrations: string[]; calls?: SourceHaCall[]; note?: string };
  endpoints: (SourceEndpoint | GroupUse)[];
  local?: SourceLocalFlow[];
  'when-blocked'?: WhenBlocked;
  evidence: SourceEvidence[];
  notes?: string;
}
export interface SourceGroup { id: string; name: string; description?: string; endpoints: SourceEndpoint[] }
export interface SourceVendor {
  id: string; name: string; website?: string; groups?: SourceGroup[]; evidence?: SourceEvidence[]; notes?: string;
}

export function isGroupUse(e: SourceEndpoint | GroupUse): e is GroupUse {
  return typeof (e as GroupUse).group === 'string';
}
