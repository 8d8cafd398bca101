// Types of the bundled dataset (dist/netneeds.json), as schema/bundle.schema.json defines it.
// They are the package's public TypeScript types: change them only under VERSIONING.md.
export type VerdictWord = 'required' | 'not-required' | 'setup-only' | 'unknown';
export type NeedFunction = 'vendor-app' | 'home-assistant';
export type Effect = 'stops-working' | 'degraded' | 'keeps-working' | 'unknown';
export type Tristate = 'yes' | 'no' | 'unknown';
export type EvidenceType =
  | 'firewall-log' | 'packet-capture' | 'dns-log' | 'blocking-test' | 'vendor-documentation'
  | 'integration-documentation' | 'source-code' | 'paper' | 'community-report' | 'community-blocklist' | 'mud-profile';

export interface PortRange { from: number; to: number }
/** What a claim rests on, from the kind of its strongest evidence. */
export type Basis = 'tested' | 'documented' | 'community-listed' | 'reported' | 'observed';
export interface Claim { verdict: VerdictWord; evidence: string[]; basis?: Basis; note?: string }
export interface Verdict {
  /** The verdict that applies: the claim with the strongest evidence; `unknown` when there is none. */
  verdict: VerdictWord;
  /** The basis of the claim that applies; null when the verdict is unknown. */
  basis: Basis | null;
  /** The evidence of every claim that says `verdict`; empty when nothing backs it. */
  evidence: string[];
  /** The note of the one claim, when `claims` is left out. */
  note?: string;
  /** Present when sources disagree, in this entry or another entry for the same destination. */
  disputed?: true;
  /**
   * Every claim, kept even when sources disagree. Left out when there is one claim and it says no more than this
   * object: the claims are then `[{ verdict, evidence, basis, note }]`, or none when the verdict is unknown without evidence.
   */
  claims?: Claim[];
}
export type Needs = Record<NeedFunction, Verdict>;

export interface Endpoint {
  /** The host, wildcard or address as written; `*` for kind `any`. */
  destination: string;
  /** any: the source gives protocol and ports but names no destination, so they apply to any internet address. */
  kind: 'host' | 'wildcard' | 'ip' | 'cidr' | 'any';
  /** The address's IP version, or the only one the source allows for a host or any destination. */
  ipVersion?: 4 | 6;
  reportedName?: string;
  /** unknown: the source did not say; ports is then empty. */
  protocol: 'tcp' | 'udp' | 'tcp+udp' | 'icmp' | 'icmpv6' | 'unknown';
  ports: PortRange[];
  /** The ports the opening side sends from, when the source restricts them. */
  sourcePorts?: PortRange[];
  /** The ICMP type (and code) of the opening message, when the source allows only that. */
  icmpType?: number;
  icmpCode?: number;
  service: string;
  purpose: string;
  party: 'first' | 'support' | 'third' | 'unknown';
  region?: string;
  needs: Needs;
  evidence: string[];
  /** `<vendor>/<group>` when the endpoint came from a vendor endpoint group. */
  group?: string;
  note?: string;
}

export interface LocalFlow {
  from: string;
  to: string;
  protocol: Endpoint['protocol'];
  /** The only IP version the source allows. */
  ipVersion?: 4 | 6;
  ports: PortRange[];
  sourcePorts?: PortRange[];
  icmpType?: number;
  icmpCode?: number;
  group?: string;
  service: string;
  purpose: string;
  needs: Needs;
  evidence: string[];
  note?: string;
}

export interface BlockedReport {
  vendorApp: Effect; homeAssistant: Effect; evidence: string[];
  /** What the report rests on; only tested or documented reports decide the derived answers. */
  basis?: Basis;
  note?: string;
}

export interface Evidence {
  id: string;
  type: EvidenceType;
  date?: string;
  accessed?: string;
  source: string;
  title?: string;
  firmware?: string;
  region?: string;
  note?: string;
  /** The passage of the source that carries the claim, verbatim (at most 25 words). */
  quote?: string;
}

export interface HaIntegration { domain: string; name?: string; iotClass?: string }
/** An internet host Home Assistant's integration itself calls for the device: allowed from Home Assistant, never from the device. */
export interface HaCall { host: string; protocol: Endpoint['protocol']; ports: PortRange[]; service: string; purpose: string; evidence: string[]; note?: string }

export interface Derived {
  /** Works with Home Assistant with the internet blocked. */
  worksWithHaOffline: Tristate;
  worksWithHaOfflineReason: string;
  vendorAppNeedsCloud: Tristate;
  vendorAppNeedsCloudReason: string;
  /** Advice for refusing traffic: reject when a source says dropping breaks the device. */
  refuseWith: 'reject' | 'either' | 'unknown';
  /** Multicast/broadcast discovery that has to be reflected across VLANs. */
  reflect: { service: string; protocol: string; ports: PortRange[]; group?: string }[];
  counts: Record<NeedFunction, Record<VerdictWord, number>> & { endpoints: number; local: number };
  evidence: {
    count: number;
    byType: Partial<Record<EvidenceType, number>>;
    /** Newest and oldest observation or publication date; undated sources are counted apart. */
    newest?: string;
    oldest?: string;
    undated: number;
    /** From the verdicts, never from the number of sources; see schema/bundle.schema.json. */
    confidence: 'high' | 'medium' | 'low' | 'none';
    verdicts: { total: number; definite: number; byBasis: Partial<Record<Basis, number>> };
  };
}

export interface Device {
  id: string;
  vendor: string;
  name: string;
  aliases: string[];
  models: string[];
  category: string;
  connectivity: string[];
  apps: string[];
  homeAssistant: { integrations: HaIntegration[]; calls: HaCall[]; note?: string };
  endpoints: Endpoint[];
  local: LocalFlow[];
  whenBlocked: { internet: BlockedReport[]; rejectOrDrop?: { advice: 'reject' | 'either' | 'unknown'; evidence: string[]; note?: string } };
  evidence: Evidence[];
  notes?: string;
  derived: Derived;
  /** Path of the source file in the repository. */
  source: string;
}

export interface EndpointGroup { id: string; name: string; description?: string; endpoints: Endpoint[] }
export interface Vendor { id: string; name: string; website?: string; groups: EndpointGroup[]; evidence: Evidence[]; devices: string[]; notes?: string }

export interface DatasetMeta {
  name: 'netneeds';
  datasetVersion: string;
  schemaVersion: string;
  sourceCommit: string;
  deviceCount: number;
  vendorCount: number;
  endpointCount: number;
  license: { data: string; code: string };
  homepage: string;
  repository: string;
}

export interface Dataset { meta: DatasetMeta; vendors: Vendor[]; devices: Device[] }
