/**
 * NFLOG source: packets logged by iptables/nftables `NFLOG` rules (Calico, kube-router, hand-written policy
 * chains), as LINKTYPE_NFLOG frames. agent/decode/nflog turns them into drop events (reason `nflog:<prefix>`,
 * `deniedBy` when the prefix names a policy), for a live group and for capture files alike.
 *
 * - `NflogSource`: runs `tcpdump -i nflog:<group> -w -` and hands over its frames.
 * - `nflogConfigFrom` / `startNflogSource`: the `nflog:` config section → a running source.
 * - `decodeNflogFrame`: the link-type format itself (TLVs: prefix, payload, timestamp, interfaces, hook).
 * - `NflogPrefixPattern`: the configurable prefix → policy rule.
 */
export { NflogSource } from './nflogSource';
export type { NflogSourceOptions } from './nflogSource';
export { nflogConfigFrom, startNflogSource } from './nflogConfig';
export type { NflogConfig } from './nflogConfig';
export { decodeNflogFrame, LINKTYPE_NFLOG, NFULA } from './nflogFrame';
export type { NflogMessage, NflogFrameResult } from './nflogFrame';
export { NflogPrefixPattern, DEFAULT_PREFIX_PATTERNS } from './nflogPrefix';
