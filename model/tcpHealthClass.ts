// The health class of a connection or edge from its retransmission rate: 0–1 % healthy, 1–5 % degraded, 5 %+ severe.
import type { TcpHealthClass } from './events';

export const DEGRADED_RETRANSMIT_RATE = 0.01;
export const SEVERE_RETRANSMIT_RATE = 0.05;

// Retransmitted packets over all packets; undefined when nothing was sent.
export function retransmitRate(retransmits: number, packets: number): number | undefined {
  return packets > 0 ? retransmits / packets : undefined;
}

export function tcpHealthClass(rate: number): TcpHealthClass {
  if (rate >= SEVERE_RETRANSMIT_RATE) {
    return 'severe';
  }
  return rate >= DEGRADED_RETRANSMIT_RATE ? 'degraded' : 'healthy';
}
