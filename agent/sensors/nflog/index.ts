/**
 * NFLOG source: packets logged by iptables/nftables `NFLOG` rules (Calico, kube-router, hand-written policy
 * chains) → drop events with reason `nflog:<prefix>` and `deniedBy` when the prefix names a policy.
 *
 * - `NflogSource`: runs `tcpdump -i nflog:<group> -w -` and decodes its stream.
 * - `NflogDropDecoder`: one LINKTYPE_NFLOG frame → NetworkEvent, for captures read from files.
 * - `decodeNflogFrame`: the link-type decoder itself (TLVs: prefix, payload, timestamp, interfaces, hook).
 * - `NflogPrefixPattern`: the configurable prefix → policy rule.
 * - `NflogDropCoalescer`: one blocked attempt (a SYN and its retransmissions) → one drop with `attempts`.
 */
export { NflogSource } from './nflogSource';
export type { NflogSourceOptions } from './nflogSource';
export { NflogDropDecoder } from './nflogDropDecoder';
export type { NflogCounters, NflogDropOptions } from './nflogDropDecoder';
export { decodeNflogFrame, LINKTYPE_NFLOG, NFULA } from './nflogFrame';
export type { NflogMessage, NflogFrameResult } from './nflogFrame';
export { NflogPrefixPattern, DEFAULT_PREFIX_PATTERNS } from './nflogPrefix';
export { NflogDropCoalescer, DEFAULT_COALESCER_OPTIONS } from './nflogDropCoalescer';
export type { CoalescerOptions } from './nflogDropCoalescer';
