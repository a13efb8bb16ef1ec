// Grafana's side of the plugin protocol: the Go harness on grafana-plugin-sdk-go starts the built executable
// through go-plugin and decodes every frame with the SDK's Arrow reader. Counts come from `go test -json`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasCommand, run } from '../lib/process.mjs';
import { newestSourceMs } from '../lib/sourceTimes.mjs';

const executable = resolve('dist/datasource/gpx_wiretrace_linux_amd64');
const harness = resolve('tests/conformance');
const cacheDir = join(homedir(), '.cache', 'wiretrace');

function goTestJson(env) {
  return new Promise((resolvePromise) => {
    const child = spawn('go', ['test', '-json', '-count=1', './...'], { cwd: harness, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const counts = { passed: 0, failed: 0 };
    const output = new Map();
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          process.stdout.write(line + '\n');
          continue;
        }
        const key = `${event.Package} ${event.Test ?? ''}`;
        if (event.Action === 'output') {
          output.set(key, (output.get(key) ?? '') + event.Output);
        } else if (event.Test && event.Action === 'pass') {
          counts.passed++;
          console.log(`  ok   ${event.Test} (${event.Elapsed}s)`);
        } else if (event.Action === 'fail') {
          if (event.Test) {
            counts.failed++;
            console.log(`  FAIL ${event.Test}\n${output.get(key) ?? ''}`);
          } else if (counts.failed === 0) {
            // A package failing without a failed test: a build error or a crash in TestMain.
            counts.failed++;
            console.log(`  FAIL ${event.Package}\n${output.get(key) ?? ''}`);
          }
        }
      }
    });
    child.on('error', (err) => {
      console.error(`go test: ${err.message}`);
      resolvePromise({ passed: counts.passed, failed: counts.failed + 1 });
    });
    child.on('exit', (code) => {
      resolvePromise(code !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts);
    });
  });
}

export default {
  name: 'conformance',
  order: 40,
  skipReason: async () => (hasCommand('go') ? null : 'go is not installed (needed for the grafana-plugin-sdk-go harness)'),
  async run() {
    const sourcesChanged = newestSourceMs(['backend', 'model']) > (existsSync(executable) ? statSync(executable).mtimeMs : 0);
    if (sourcesChanged) {
      console.log('building the backend executable (dist is missing or older than backend/ sources)');
      if ((await run(process.execPath, ['scripts/build-backend.mjs'])) !== 0) {
        return { passed: 0, failed: 1 };
      }
    }
    mkdirSync(cacheDir, { recursive: true });
    const env = { ...process.env, GOCACHE: join(cacheDir, 'go-build'), GOFLAGS: '-mod=readonly', WIRETRACE_PLUGIN: executable };
    return goTestJson(env);
  },
};
