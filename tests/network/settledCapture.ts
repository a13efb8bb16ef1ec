// Stops a tcpdump only once its file holds everything: tcpdump loses what it has not written when stopped, so it
// waits for the file to stop growing (ten polls in a row at the same size) first.
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { waitFor } from '../netns/shell';

export async function stopWhenSettled(tcpdump: ChildProcess, capture: string, timeoutMs: number): Promise<void> {
  let last = -1;
  let steady = 0;
  await waitFor(
    () => {
      const size = statSync(capture).size;
      steady = size === last ? steady + 1 : 0;
      last = size;
      return steady >= 10;
    },
    timeoutMs,
    'the capture to settle'
  );
  tcpdump.kill('SIGTERM');
  await waitFor(() => tcpdump.exitCode !== null || tcpdump.signalCode !== null, timeoutMs, 'tcpdump to exit');
}
