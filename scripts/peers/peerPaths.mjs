// Where test peers are cached (outside the repository, reused between runs and clones) and where their build logs go.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEERS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)));
export const REPO_ROOT = resolve(PEERS_DIR, '..', '..');
export const CACHE_ROOT = process.env.WIRETRACE_CACHE ?? join(homedir(), '.cache', 'wiretrace');
export const PEER_BIN_DIR = join(CACHE_ROOT, 'bin');
export const PEER_LOG_DIR = process.env.WIRETRACE_PEER_LOG_DIR ?? join(REPO_ROOT, 'build', 'peers');
export const GO_CACHE = join(CACHE_ROOT, 'go-build');
export const GO_MOD_CACHE = join(CACHE_ROOT, 'go-mod');

/** Whether a process with this pid exists. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}
