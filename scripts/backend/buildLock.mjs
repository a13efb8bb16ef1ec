// One backend build at a time per checkout: tiers and tests that find the executables stale may start builds at once.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../stack/processes.mjs';

/** Waits until no other live process holds the lock file, takes it, and returns its release. */
export async function takeBuildLock(lock, log) {
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch {
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (!announced) {
        log(`waiting for the backend build of process ${holder} to finish`);
        announced = true;
      }
      await sleep(1000);
    }
  }
}
