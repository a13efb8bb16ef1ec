// Starts the test host: the Go front (tests/conformance/cmd/pluginfront, built into the cache) in front of the
// backend executable from dist/, serving dist/ and the host page with the given datasources.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hostConfig } from './hostConfig.mjs';
import { REPO, WEB_DIR } from './buildHost.mjs';

const CACHE_BIN = join(process.env.WIRETRACE_CACHE ?? join(homedir(), '.cache', 'wiretrace'), 'bin');
export const DIST = join(REPO, 'dist');
export const BACKEND_EXECUTABLE = join(DIST, 'datasource', 'gpx_wiretrace_linux_amd64');
// A cold Go build of the front on a busy machine, and the plugin's handshake, both fit well inside this.
const START_TIMEOUT_MS = 300_000;

/** Builds the Go front; go's build cache makes a repeat build quick. */
export function buildFront() {
  mkdirSync(CACHE_BIN, { recursive: true });
  const output = join(CACHE_BIN, 'pluginfront');
  execFileSync('go', ['build', '-o', output, './cmd/pluginfront'], { cwd: join(REPO, 'tests', 'conformance'), stdio: 'inherit' });
  return output;
}

/**
 * @param {{ datasources: object[], workDir: string, listen?: string, front?: string }} options
 * @returns {Promise<{ url: string, configFile: string, stop: () => Promise<void> }>}
 */
export async function startHost({ datasources, workDir, listen = '127.0.0.1:0', front = buildFront() }) {
  mkdirSync(workDir, { recursive: true });
  const configFile = join(workDir, 'host-config.json');
  writeFileSync(configFile, JSON.stringify(hostConfig({ dist: DIST, datasources }), null, 2));
  const logFile = join(workDir, 'plugin.log');
  const errFd = openSync(join(workDir, 'front.log'), 'a');
  const child = spawn(
    front,
    ['-plugin', BACKEND_EXECUTABLE, '-config', configFile, '-dist', DIST, '-web', WEB_DIR, '-listen', listen, '-plugin-log', logFile],
    { cwd: REPO, stdio: ['ignore', 'pipe', errFd] }
  );
  closeSync(errFd);
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start within ${START_TIMEOUT_MS} ms (see ${workDir}/front.log)`)), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /listening on (\S+)/.exec(line);
      match ? resolvePromise(match[1]) : reject(new Error(`unexpected first line from the host: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code} before listening (see ${workDir}/front.log)`));
    });
  });
  const stop = () =>
    new Promise((resolvePromise) => {
      if (child.exitCode !== null) {
        resolvePromise();
        return;
      }
      child.once('exit', () => resolvePromise());
      child.kill('SIGTERM');
    });
  return { url, configFile, stop };
}
