// Builds a pinned upstream server (Tempo, Loki) with `go` once and caches the binary outside the repository.
// The wrapper module in tests/stack/<name> requires the release from the Go module proxy.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_DIR, BUILD_DIR, REPO_ROOT } from './paths.mjs';
import { missingDirectives, readGoModDirectives } from './goModule.mjs';
import { isAlive } from './processes.mjs';

// The server cannot be had on this machine; the message says exactly why.
export class UpstreamUnavailable extends Error {}

export function binaryPath(release) {
  return join(BIN_DIR, `${release.name}-${release.version}`);
}

export function buildRecord(release) {
  const file = `${binaryPath(release)}.build.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/**
 * Null when the release's binary is cached or can be built here; otherwise why it cannot. Quick: builds nothing.
 * @param {import('./upstreams.mjs').UpstreamRelease} release
 */
export function upstreamUnavailableReason(release) {
  if (existsSync(binaryPath(release))) {
    return null;
  }
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    return `go is not installed, so ${release.name} ${release.version} cannot be built`;
  }
  const download = goModDownload(release);
  if (!download.error) {
    return null;
  }
  return unavailableFromProxy(release, download.error);
}

function unavailableFromProxy(release, proxyError) {
  return (
    `the Go module proxy refuses ${release.module}@${release.moduleVersion} (${proxyError}), ` +
    `and no ${release.name} ${release.version} binary is cached at ${binaryPath(release)}`
  );
}

/**
 * The path of the release's binary, built first when it is not cached.
 * @param {import('./upstreams.mjs').UpstreamRelease} release
 * @param {{ log: (line: string) => void }} io
 */
export async function ensureUpstreamBinary(release, io) {
  const target = binaryPath(release);
  if (existsSync(target)) {
    return { path: target, built: false, seconds: 0 };
  }
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new UpstreamUnavailable(`go is not installed, so ${release.name} ${release.version} cannot be built`);
  }
  mkdirSync(BIN_DIR, { recursive: true });
  if (!(await takeBuildLock(target, release, io))) {
    // Another process built it while this one waited.
    return { path: target, built: false, seconds: 0 };
  }
  try {
    return await build(release, target, io);
  } finally {
    rmSync(`${target}.lock`, { force: true });
  }
}

// One build per binary at a time: `npm run stack` and a test tier may both ask for it.
async function takeBuildLock(target, release, io) {
  const lock = `${target}.lock`;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return !existsSync(target);
    } catch {
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (!isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (!announced) {
        io.log(`waiting for process ${holder}, which is building ${release.name} ${release.version}`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function build(release, target, io) {
  const workDir = join(BUILD_DIR, `${release.name}-${release.version}`);
  mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  const download = goModDownload(release);
  if (download.error) {
    throw new UpstreamUnavailable(unavailableFromProxy(release, download.error));
  }
  const plan = proxyBuildPlan(release, download, workDir);
  io.log(`building ${release.name} ${release.version} (${plan.route}); log: ${join(workDir, 'build.log')}`);
  const partial = `${target}.partial`;
  const code = await goBuild(plan, partial, join(workDir, 'build.log'), release, io);
  if (code !== 0) {
    rmSync(partial, { force: true });
    rmSync(timingFile(partial), { force: true });
    throw new Error(
      `go build of ${release.name} ${release.version} failed (exit ${code}):\n${tail(join(workDir, 'build.log'), 30)}`
    );
  }
  renameSync(partial, target);
  const seconds = Math.round((Date.now() - started) / 1000);
  const goVersion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
  const record = { route: plan.route, seconds, ...buildUsage(partial), goVersion, builtAt: new Date().toISOString() };
  writeFileSync(`${target}.build.json`, JSON.stringify(record) + '\n');
  io.log(`built ${release.name} ${release.version} in ${seconds}s → ${target}`);
  return { path: target, built: true, seconds };
}

function goEnv() {
  return { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
}

function goModDownload(release) {
  const result = spawnSync('go', ['mod', 'download', '-json', `${release.module}@${release.moduleVersion}`], {
    cwd: REPO_ROOT,
    env: goEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  try {
    const info = JSON.parse(result.stdout);
    return info.Error
      ? {
          error: info.Error.split('\n')
            .map((l) => l.trim())
            .join(' '),
        }
      : info;
  } catch {
    return { error: (result.stderr || `go mod download exited ${result.status}`).trim() };
  }
}

function proxyBuildPlan(release, download, workDir) {
  const wrapperGoMod = join(REPO_ROOT, release.wrapperDir, 'go.mod');
  const missing = missingDirectives(
    readGoModDirectives(readFileSync(download.GoMod, 'utf8')),
    readGoModDirectives(readFileSync(wrapperGoMod, 'utf8'))
  );
  if (missing.length > 0) {
    throw new Error(
      `${release.wrapperDir}/go.mod does not repeat these lines of ${release.module}@${release.version}'s go.mod:\n  ${missing.join('\n  ')}`
    );
  }
  copyFileSync(wrapperGoMod, join(workDir, 'go.mod'));
  // The release's checksums seed the wrapper's, so the dependency graph is verified against what upstream shipped.
  const releaseSums = join(download.Dir, 'go.sum');
  if (existsSync(releaseSums) && !existsSync(join(workDir, 'go.sum'))) {
    copyFileSync(releaseSums, join(workDir, 'go.sum'));
  }
  return {
    route: `module proxy, wrapper ${release.wrapperDir}`,
    cwd: workDir,
    pkg: release.commandPackage,
    modFlag: '-mod=mod',
  };
}

function goBuild(plan, output, logFile, release, io) {
  return new Promise((resolvePromise) => {
    const args = ['build', plan.modFlag, '-trimpath', '-ldflags=-s -w', '-o', output, plan.pkg];
    writeFileSync(logFile, `go ${args.join(' ')}\n(in ${plan.cwd})\n`);
    // GNU time, where present, records the build's CPU seconds and peak memory for the build record.
    const timed = existsSync(GNU_TIME) ? [GNU_TIME, '-o', timingFile(output), '-f', '%U %S %M'] : [];
    const child = spawn('sh', ['-c', 'exec "$@" >>"$0" 2>&1', logFile, ...timed, 'go', ...args], {
      cwd: plan.cwd,
      env: { ...goEnv(), GOFLAGS: plan.modFlag },
      stdio: 'ignore',
    });
    const started = Date.now();
    // A cold build takes many minutes on two cores; say that it is still going.
    const ticker = setInterval(() => {
      io.log(`  still building ${release.name} (${Math.round((Date.now() - started) / 60000)} min)`);
    }, 60_000);
    child.on('exit', (code) => {
      clearInterval(ticker);
      resolvePromise(code ?? 1);
    });
  });
}

const GNU_TIME = '/usr/bin/time';

function timingFile(output) {
  return `${output}.time`;
}

// CPU seconds (user + system) and peak resident memory of the build, when GNU time measured them.
function buildUsage(output) {
  const file = timingFile(output);
  if (!existsSync(file)) {
    return {};
  }
  const fields = readFileSync(file, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(file, { force: true });
  const [user, system, maxRssKb] = fields;
  return Number.isFinite(user + system + maxRssKb)
    ? { cpuSeconds: Math.round(user + system), peakMemoryMiB: Math.round(maxRssKb / 1024) }
    : {};
}

function tail(file, lines) {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
