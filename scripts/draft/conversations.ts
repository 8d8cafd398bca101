// Which end opened each conversation, for the collector: a hash table in typed arrays with open addressing.
// A Map keyed by text cost a third of a large draft (several cache misses per packet at 200,000 entries);
// here a lookup usually touches one slot. It behaves like that Map did: when full, the oldest quarter of
// the conversations (in insertion order) is forgotten before a new one is added.

/** Ints per slot and per insertion-order entry: first address id, second address id, both ports, tag. */
const STRIDE = 4;
const TAG = 3;
/** A tag is protocol << 2 | USED | opener, so an empty slot's tag is 0. */
const USED = 2;

function hash(first: number, second: number, ports: number, protocol: number): number {
  let h = Math.imul(first, 0x9e3779b1) ^ second;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ ports;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ protocol;
  return h ^ (h >>> 16);
}

export class ConversationTable {
  private readonly slots: Int32Array;
  /** Masks a slot offset back into the table: the slot count is a power of two. */
  private readonly wrap: number;
  /** Keys in insertion order: a ring of `capacity` entries, the oldest at `oldest`. */
  private readonly order: Int32Array;
  private oldest = 0;
  private size = 0;
  /** The key of the last lookup, and the slot that holds it or would. */
  private first = 0;
  private second = 0;
  private ports = 0;
  private protocol = 0;
  private slot = 0;

  constructor(private readonly capacity: number) {
    let slotCount = 1;
    while (slotCount < capacity * 2) slotCount *= 2;
    this.slots = new Int32Array(slotCount * STRIDE);
    this.wrap = slotCount * STRIDE - 1;
    this.order = new Int32Array(capacity * STRIDE);
  }

  /** The opener stored for a conversation (0 or 1), or -1. Ids are int32, ports 0-65535, protocol 0-15. */
  lookup(first: number, firstPort: number, second: number, secondPort: number, protocol: number): number {
    this.first = first;
    this.second = second;
    this.ports = (firstPort << 16) | secondPort;
    this.protocol = protocol;
    this.slot = this.find(first, second, this.ports, protocol);
    const tag = this.slots[this.slot + TAG]!;
    return tag === 0 ? -1 : tag & 1;
  }

  /** Stores the opener for the key of the last lookup; true when older conversations were forgotten to make room. */
  store(opener: number): boolean {
    const s = this.slots;
    let forgot = false;
    if (s[this.slot + TAG] === 0) {
      if (this.size === this.capacity) {
        this.forgetOldest(this.capacity / 4);
        this.slot = this.find(this.first, this.second, this.ports, this.protocol);
        forgot = true;
      }
      const entry = ((this.oldest + this.size) % this.capacity) * STRIDE;
      this.order[entry] = s[this.slot] = this.first;
      this.order[entry + 1] = s[this.slot + 1] = this.second;
      this.order[entry + 2] = s[this.slot + 2] = this.ports;
      this.order[entry + 3] = this.protocol;
      this.size++;
    }
    s[this.slot + TAG] = (this.protocol << 2) | USED | opener;
    return forgot;
  }

  /** The slot holding a key, or the empty slot where it would go (linear probing). */
  private find(first: number, second: number, ports: number, protocol: number): number {
    const s = this.slots;
    for (let i = (hash(first, second, ports, protocol) * STRIDE) & this.wrap; ; i = (i + STRIDE) & this.wrap) {
      const tag = s[i + TAG]!;
      if (tag === 0 || (s[i] === first && s[i + 1] === second && s[i + 2] === ports && tag >> 2 === protocol)) return i;
    }
  }

  private forgetOldest(count: number): void {
    for (let n = 0; n < count; n++) {
      const o = this.order;
      const entry = this.oldest * STRIDE;
      this.remove(this.find(o[entry]!, o[entry + 1]!, o[entry + 2]!, o[entry + 3]!));
      this.oldest = (this.oldest + 1) % this.capacity;
      this.size--;
    }
  }

  /** Empties a slot and moves later entries of its probe run back, so that no lookup stops short of them. */
  private remove(slot: number): void {
    const s = this.slots;
    let hole = slot;
    for (let i = (hole + STRIDE) & this.wrap; s[i + TAG] !== 0; i = (i + STRIDE) & this.wrap) {
      const home = (hash(s[i]!, s[i + 1]!, s[i + 2]!, s[i + TAG]! >> 2) * STRIDE) & this.wrap;
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      const stays = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (stays) continue;
      s.copyWithin(hole, i, i + STRIDE);
      hole = i;
    }
    s[hole + TAG] = 0;
  }
}
