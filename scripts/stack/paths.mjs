// Where the local stack keeps built binaries, data, pid files and logs: outside the repository, reused between runs.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CACHE_ROOT = process.env.WIRETRACE_CACHE ?? join(homedir(), '.cache', 'wiretrace');
export const BIN_DIR = join(CACHE_ROOT, 'bin');
export const BUILD_DIR = join(CACHE_ROOT, 'build');
export const DATA_DIR = process.env.WIRETRACE_STACK_DATA ?? join(CACHE_ROOT, 'data');
export const RUN_DIR = join(CACHE_ROOT, 'run');
export const DEPLOY_STACK_DIR = join(REPO_ROOT, 'deploy', 'stack');
