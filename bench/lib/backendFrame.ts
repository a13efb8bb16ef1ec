// The frame the backend benchmarks use: flows-like, 8 columns, some nulls.
import type { Frame } from '../../backend/frames/frame';

export function benchFrame(rows: number): Frame {
  const start = 1_700_000_000_000_000_000n;
  const pods = ['checkout-7d9f', 'cart-5c2a', 'payments-0', 'frontend-6b8d', 'db-0'];
  const states = ['established', 'reset', 'unanswered', 'closed'];
  const col = <T>(f: (i: number) => T) => Array.from({ length: rows }, (_, i) => f(i));
  return {
    name: 'flows',
    refId: 'A',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'time', type: 'time', values: col((i) => start + BigInt(i) * 1_000_000n) },
      { name: 'src_pod', type: 'string', values: col((i) => `${pods[i % pods.length]}-${i % 97}`) },
      { name: 'dst_ip', type: 'string', values: col((i) => `10.0.${(i >> 8) & 255}.${i & 255}`) },
      { name: 'state', type: 'string', values: col((i) => states[i % states.length]) },
      { name: 'bytes', type: 'int64', values: col((i) => i * 13) },
      { name: 'rtt', type: 'number', values: col((i) => (i % 10 === 0 ? null : (i % 500) / 7)), nullable: true },
      { name: 'retransmits', type: 'int64', values: col((i) => i % 4) },
      { name: 'reset', type: 'boolean', values: col((i) => i % 4 === 1) },
    ],
  };
}
