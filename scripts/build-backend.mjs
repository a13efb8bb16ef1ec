// Builds the backend datasource into a Node single-executable application for every platform Grafana runs on,
// from official Node builds, whatever machine builds. A platform that cannot be had is reported, loudly.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  adHocSignatureProblems,
  executableKind,
  SEA_FUSE,
  SEA_RESOURCE,
  seaInjectionProblems,
} from './backend/executableFormat.mjs';
import { takeBuildLock } from './backend/buildLock.mjs';
import { removeSignature, signAdHoc } from './backend/machoSignature.mjs';
import { nodeExecutable } from './backend/nodeDistribution.mjs';
import { removePeSignature } from './backend/peSignature.mjs';
import { BACKEND_TARGETS, hostNodeBuild, hostTarget } from './backend/targets.mjs';

const outDir = 'build/backend';
const distDir = 'dist/datasource';
const BUILD_SUMMARY = join(outDir, 'targets.json');
const log = (line) => console.log(`backend: ${line}`);
mkdirSync(outDir, { recursive: true });
mkdirSync(distDir, { recursive: true });
const releaseLock = await takeBuildLock(join(outDir, 'build.lock'), log);
process.on('exit', releaseLock);

const started = performance.now();
await build({
  entryPoints: ['backend/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile: join(outDir, 'backend.cjs'),
  logLevel: 'warning',
  legalComments: 'none',
});
// V8 flags the executable always runs with (a young generation big enough for a query's parse garbage);
// bench/querydata-drops.bench.ts measures with the same list.
const execArgv = JSON.parse(readFileSync('backend/runtimeFlags.json', 'utf8'));
const host = hostTarget();
let downloadedBytes = 0;

// A blob is written by the Node version that will run it; the build's own Node when the versions agree.
function blobWriter(version) {
  if (process.versions.node === version) {
    return process.execPath;
  }
  const writer = hostNodeBuild(version);
  if (!writer) {
    throw new Error(
      `no Node ${version} build runs on this machine (${process.platform}-${process.arch}) to write the SEA blob`
    );
  }
  const fetched = nodeExecutable(writer, log);
  downloadedBytes += fetched.downloadedBytes;
  return fetched.node;
}

// The build's own Node is the official build of this machine's target when the versions agree: offline, it serves.
function baseNode(target, warnings) {
  try {
    const fetched = nodeExecutable(target, log);
    downloadedBytes += fetched.downloadedBytes;
    return fetched.node;
  } catch (err) {
    if (target !== host || process.versions.node !== target.version) {
      throw err;
    }
    warnings.push(
      `${err instanceof Error ? err.message : err}; built on this machine's own Node ${process.versions.node}`
    );
    return process.execPath;
  }
}

function buildTarget(target) {
  const warnings = [];
  const node = baseNode(target, warnings);
  const dir = join(outDir, target.platform);
  mkdirSync(dir, { recursive: true });
  const seaConfig = {
    main: join(outDir, 'backend.cjs'),
    output: join(dir, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    // V8's code cache only loads on the platform and build that wrote it (Node's SEA docs): the host's own target.
    useCodeCache: target === host && blobWriter(target.version) === process.execPath,
    execArgv,
  };
  writeFileSync(join(dir, 'sea-config.json'), JSON.stringify(seaConfig, null, 2));
  execFileSync(blobWriter(target.version), ['--experimental-sea-config', join(dir, 'sea-config.json')], {
    stdio: 'ignore',
  });
  const blob = readFileSync(seaConfig.output);
  if (!blob.includes(execArgv[0] ?? '')) {
    warnings.push(`Node ${target.version} keeps no execArgv: runs without ${execArgv.join(' ')}`);
  }

  const executable = join(distDir, target.executable);
  const staged = `${executable}.partial`;
  const base = readFileSync(node);
  // The official macOS and Windows builds are signed; the signature has to go before injection (Node's SEA docs).
  const unsigned = { macho: removeSignature, pe: removePeSignature }[target.format]?.(base) ?? base;
  writeFileSync(staged, unsigned);
  const macho = target.format === 'macho' ? ['--macho-segment-name', 'NODE_SEA'] : [];
  execFileSync(
    process.execPath,
    [
      'node_modules/postject/dist/cli.js',
      staged,
      SEA_RESOURCE,
      seaConfig.output,
      '--sentinel-fuse',
      SEA_FUSE,
      ...macho,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    }
  );
  if (target.format === 'macho') {
    writeFileSync(staged, signAdHoc(readFileSync(staged), target.executable));
  }
  const built = readFileSync(staged);
  const kind = executableKind(built);
  const problems = [
    ...(kind.format === target.format && kind.arch === target.arch
      ? []
      : [`built a ${kind.format} ${kind.arch} executable`]),
    ...seaInjectionProblems(built, blob),
    ...(target.format === 'macho' ? adHocSignatureProblems(built) : []),
  ];
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  chmodSync(staged, 0o755);
  // A running copy (Grafana, a test host) keeps its inode; overwriting it in place fails with ETXTBSY.
  rmSync(executable, { force: true });
  renameSync(staged, executable);
  return { bytes: built.length, warnings };
}

// `--platforms=linux_amd64,darwin_arm64` builds only those (a quicker loop while working on one).
const chosen = process.argv
  .find((a) => a.startsWith('--platforms='))
  ?.slice('--platforms='.length)
  .split(',');
const targets = chosen ? BACKEND_TARGETS.filter((t) => chosen.includes(t.platform)) : BACKEND_TARGETS;
if (chosen && targets.length !== chosen.length) {
  throw new Error(
    `unknown platform in ${chosen.join(',')}: known are ${BACKEND_TARGETS.map((t) => t.platform).join(', ')}`
  );
}
const results = [];
for (const target of targets) {
  const targetStarted = performance.now();
  try {
    const { bytes, warnings } = buildTarget(target);
    const seconds = (performance.now() - targetStarted) / 1000;
    results.push({
      platform: target.platform,
      executable: target.executable,
      built: true,
      nodeVersion: target.version,
      seconds,
      bytes,
      warnings,
    });
    log(
      `${join(distDir, target.executable)} (${(bytes / 1e6).toFixed(1)} MB, Node ${target.version}, ${seconds.toFixed(1)} s)`
    );
    warnings.forEach((w) => log(`  note: ${w}`));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    rmSync(join(distDir, target.executable), { force: true });
    results.push({
      platform: target.platform,
      executable: target.executable,
      built: false,
      nodeVersion: target.version,
      reason,
    });
    console.error(`\n!!! backend: ${target.platform} NOT BUILT (${target.nodePackage}@${target.version}): ${reason}\n`);
  }
}
const totalSeconds = (performance.now() - started) / 1000;
writeFileSync(BUILD_SUMMARY, JSON.stringify({ totalSeconds, downloadedBytes, results }, null, 2));
const missing = results.filter((r) => !r.built);
log(
  `${results.length - missing.length} of ${results.length} platforms in ${totalSeconds.toFixed(0)} s, ${(downloadedBytes / 1e6).toFixed(0)} MB fetched`
);
if (missing.length > 0) {
  console.error(`!!! backend: missing platforms: ${missing.map((m) => m.platform).join(', ')} (see above)`);
}
// The build fails only when this machine's own executable is missing: tests start that one.
process.exit(host && missing.some((m) => m.platform === host.platform) ? 1 : 0);
