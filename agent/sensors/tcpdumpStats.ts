// tcpdump's own counters, printed on stderr when it exits.

export interface TcpdumpStats {
  captured?: number;
  receivedByFilter?: number;
  droppedByKernel?: number;
  droppedByInterface?: number;
}

const LINES: Array<[RegExp, keyof TcpdumpStats]> = [
  [/^(\d+) packets? captured$/m, 'captured'],
  [/^(\d+) packets? received by filter$/m, 'receivedByFilter'],
  [/^(\d+) packets? dropped by kernel$/m, 'droppedByKernel'],
  [/^(\d+) packets? dropped by interface$/m, 'droppedByInterface'],
];

export function parseTcpdumpStats(stderr: string): TcpdumpStats {
  const stats: TcpdumpStats = {};
  for (const [pattern, key] of LINES) {
    const m = pattern.exec(stderr);
    if (m) {
      stats[key] = Number(m[1]);
    }
  }
  return stats;
}

// The last kernel-drop count in `text`: tcpdump prints it on one line on SIGUSR1 and on its own line at exit.
export function latestKernelDrops(text: string): number | undefined {
  let latest: number | undefined;
  for (const m of text.matchAll(/(\d+) packets? dropped by kernel/g)) {
    latest = Number(m[1]);
  }
  return latest;
}
