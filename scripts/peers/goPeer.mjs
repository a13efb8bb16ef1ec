// Builds a Go peer from its pinned wrapper module in scripts/peers/modules/<name>/: stripped, reproducible paths.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { GO_CACHE, GO_MOD_CACHE, PEERS_DIR } from './peerPaths.mjs';

/**
 * @param {{ module: string, pkg: string, output: string, logFile: string, log: (line: string) => void, ldflags?: string[] }} spec
 *   module: the wrapper folder name under modules/; pkg: the command package; output: the binary to write;
 *   ldflags: linker flags beyond the stripping ones (e.g. -X version stamps)
 */
export function buildGoPeer({ module, pkg, output, logFile, log, ldflags = [] }) {
  const args = [
    'build',
    '-mod=readonly',
    '-trimpath',
    `-ldflags=${['-s', '-w', ...ldflags].join(' ')}`,
    '-o',
    output,
    pkg,
  ];
  const cwd = join(PEERS_DIR, 'modules', module);
  log(`go ${args.join(' ')} (in ${cwd})`);
  const env = {
    ...process.env,
    GOCACHE: GO_CACHE,
    GOMODCACHE: GO_MOD_CACHE,
    GOFLAGS: '-mod=readonly',
    CGO_ENABLED: '0',
  };
  return runLogged('go', args, { cwd, env, logFile });
}

/** Runs a command with its output appended to the log; rejects naming the exit code. */
export function runLogged(command, args, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd] });
    child.on('error', (err) => {
      closeSync(fd);
      reject(new Error(`${command} could not be started: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      if (code === 0) {
        resolvePromise();
      } else {
        reject(new Error(`${command} ${args[0]} failed (${signal ?? `exit ${code}`})`));
      }
    });
  });
}
