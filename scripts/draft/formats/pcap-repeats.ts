// A capture repeats the same flow over and over (each packet of a connection, each direction), and attributing a
// packet costs the collector several lookups. While the sink's revision stays the same, a flow identical to one it
// has already taken would be counted exactly as that one was (see Sink.revision): such repeats are only counted
// here, in a table keyed by numbers, and handed over as one event with a count before anything else is emitted.
import type { Flow, FlowProtocol, Sink } from '../events.js';

/** Protocol codes, and role codes shifted left by 2, as the `kind` of a flow. */
export const TCP = 0, UDP = 1, ICMP = 2, ICMPV6 = 3;
export const PACKET = 0, SYN = 4, SYNACK = 8;
/** In a kind: the two addresses are ids of IPv6 addresses, not IPv4 addresses. */
export const V6 = 16;
/** A kind's bits from here up: the id of the flow's TLS server name (0: none). */
export const SNI_SHIFT = 5;
export const PROTOCOL_NAMES: FlowProtocol[] = ['tcp', 'udp', 'icmp', 'icmpv6'];
const ROLES: Flow['role'][] = ['packet', 'syn', 'synack'];

/** Slots of the table (a power of two), and how many distinct flows it holds before it starts over. */
const SLOTS = 1 << 13;
const MAX_FLOWS = SLOTS >> 1;
/** Ints per slot: source, destination, ports (sport << 16 | dport), kind + 1 (0 marks an empty slot). */
const STRIDE = 4;

function hash(src: number, dst: number, ports: number, kind: number): number {
  let h = Math.imul(src, 0x9e3779b1) ^ dst;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ ports;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ kind;
  return (h ^ (h >>> 16)) & (SLOTS - 1);
}

export class RepeatFolder {
  private readonly keys = new Int32Array(SLOTS * STRIDE);
  /** Per slot: the sink's revision after it last took this flow; repeats not yet handed over, their first and last time. */
  private readonly revisions = new Float64Array(SLOTS);
  private readonly counts = new Float64Array(SLOTS);
  private readonly firsts = new Float64Array(SLOTS);
  private readonly lasts = new Float64Array(SLOTS);
  private readonly srcTexts: string[] = new Array<string>(SLOTS).fill('');
  private readonly dstTexts: string[] = new Array<string>(SLOTS).fill('');
  private readonly sniTexts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  /** Slots with repeats not yet handed over, in the order their first repeat came. */
  private readonly waiting = new Int32Array(SLOTS);
  private waitingCount = 0;
  private flows = 0;
  /** The slot found by the last call of repeat(): where remember() stores that flow. */
  private slot = 0;
  private readonly enabled: boolean;
  /** The time of the flow given to repeat() next (a field: see PacketDecoder.time). */
  time = 0;

  /** `event`: the one flow event the reader refills and emits. */
  constructor(private readonly sink: Sink, private readonly event: Flow) {
    this.enabled = sink.revision !== undefined;
  }

  /**
   * True when this flow repeats one the sink took at its current revision: it is counted here. False when the
   * caller must emit it: first flush(), then emit, then remember().
   */
  repeat(src: number, dst: number, ports: number, kind: number): boolean {
    if (!this.enabled) return false;
    const time = this.time;
    const k = this.keys;
    let i = hash(src, dst, ports, kind);
    for (;;) {
      const at = i * STRIDE;
      const tag = k[at + 3]!;
      if (tag === 0) break;
      if (tag === kind + 1 && k[at] === src && k[at + 1] === dst && k[at + 2] === ports) {
        if (this.revisions[i] !== this.sink.revision) break;
        const n = this.counts[i]!;
        if (n === 0) {
          this.waiting[this.waitingCount++] = i;
          this.firsts[i] = time;
          this.lasts[i] = time;
        } else if (time === time) { // NaN (no time) never becomes the first or last
          if (!(time >= this.firsts[i]!)) this.firsts[i] = time;
          if (!(time <= this.lasts[i]!)) this.lasts[i] = time;
        }
        this.counts[i] = n + 1;
        return true;
      }
      i = (i + 1) & (SLOTS - 1);
    }
    this.slot = i;
    return false;
  }

  /** Stores the flow of the last repeat() call, just emitted, with the texts of its addresses and server name. */
  remember(src: number, dst: number, ports: number, kind: number, srcText: string, dstText: string, sni: string | undefined): void {
    if (!this.enabled) return;
    let i = this.slot;
    const k = this.keys;
    if (k[i * STRIDE + 3] === 0) {
      if (this.flows >= MAX_FLOWS) {
        this.clear();
        i = hash(src, dst, ports, kind);
        while (k[i * STRIDE + 3] !== 0) i = (i + 1) & (SLOTS - 1);
      }
      this.flows++;
      const at = i * STRIDE;
      k[at] = src;
      k[at + 1] = dst;
      k[at + 2] = ports;
      k[at + 3] = kind + 1;
    }
    this.srcTexts[i] = srcText;
    this.dstTexts[i] = dstText;
    this.sniTexts[i] = sni;
    this.revisions[i] = this.sink.revision!;
  }

  /** Hands the counted repeats over, each flow as one event with a count (two when its first and last time differ). */
  flush(): void {
    if (this.waitingCount === 0) return;
    const e = this.event;
    for (let w = 0; w < this.waitingCount; w++) {
      const i = this.waiting[w]!;
      const kind = this.keys[i * STRIDE + 3]! - 1;
      const ports = this.keys[i * STRIDE + 2]!;
      const protocol = kind & 3;
      e.src = this.srcTexts[i]!;
      e.dst = this.dstTexts[i]!;
      e.protocol = PROTOCOL_NAMES[protocol]!;
      e.sport = protocol <= UDP ? ports >>> 16 : undefined;
      e.dport = protocol <= UDP ? ports & 0xffff : undefined;
      e.role = ROLES[(kind >> 2) & 3]!;
      e.srcMac = undefined;
      e.dstMac = undefined;
      e.sni = this.sniTexts[i];
      const n = this.counts[i]!;
      const first = this.firsts[i]!;
      const last = this.lasts[i]!;
      if (n > 1 && last !== first && last === last) {
        e.time = first;
        e.count = n - 1;
        this.sink.emit(e);
        e.time = last;
        e.count = 1;
      } else {
        e.time = first;
        e.count = n;
      }
      this.sink.emit(e);
      this.counts[i] = 0;
    }
    e.count = undefined;
    this.waitingCount = 0;
  }

  /** Forgets every flow (after handing over their repeats): for a full table, or when address ids are reused. */
  clear(): void {
    this.flush();
    this.keys.fill(0);
    this.flows = 0;
  }
}
