// Checks every platform's backend executable from its own bytes: format and CPU, the injected SEA blob, and for
// Mach-O an ad-hoc signature whose page hashes recompute. The checker is itself checked against a tampered copy
// and against the official Node build's Apple signature.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  adHocSignatureProblems,
  executableKind,
  seaInjectionProblems,
} from '../../scripts/backend/executableFormat.mjs';
import { nodeExecutable } from '../../scripts/backend/nodeDistribution.mjs';
import { BACKEND_TARGETS } from '../../scripts/backend/targets.mjs';
import { run } from '../lib/process.mjs';
import { newestSourceMs } from '../lib/sourceTimes.mjs';

const DIST = 'dist/datasource';
const SUMMARY = 'build/backend/targets.json';

/** Builds the executables when one is missing or older than the backend's sources. */
export async function ensureExecutables(checks) {
  const scripts = [
    'scripts/build-backend.mjs',
    ...readdirSync('scripts/backend').map((f) => join('scripts/backend', f)),
  ];
  const sources = Math.max(newestSourceMs(['backend', 'model']), ...scripts.map((f) => statSync(f).mtimeMs));
  const stale = BACKEND_TARGETS.filter((t) => {
    const path = join(DIST, t.executable);
    return !existsSync(path) || statSync(path).mtimeMs < sources;
  });
  if (stale.length === 0) {
    return;
  }
  console.log(`  building the backend executables (${stale.map((t) => t.platform).join(', ')} missing or stale)`);
  const code = await run(process.execPath, ['scripts/build-backend.mjs']);
  checks.check('the backend build for this machine succeeds', code === 0 ? [] : [`exit ${code}`]);
}

function missingReason(target) {
  try {
    const summary = JSON.parse(readFileSync(SUMMARY, 'utf8'));
    return summary.results.find((r) => r.platform === target.platform)?.reason ?? 'not built';
  } catch {
    return 'not built';
  }
}

export function checkExecutables(checks) {
  for (const target of BACKEND_TARGETS) {
    const path = join(DIST, target.executable);
    if (!existsSync(path)) {
      checks.check(`${target.executable} exists`, [missingReason(target)]);
      continue;
    }
    const file = readFileSync(path);
    const kind = executableKind(file);
    checks.check(
      `${target.executable} is ${target.format} for ${target.arch}`,
      kind.format === target.format && kind.arch === target.arch ? [] : [`its header says ${kind.format} ${kind.arch}`]
    );
    const blob = readFileSync(join('build/backend', target.platform, 'sea-prep.blob'));
    checks.check(`${target.executable} holds its NODE_SEA_BLOB`, seaInjectionProblems(file, blob));
    if (target.format === 'macho') {
      checks.check(`${target.executable} has a valid ad-hoc signature`, adHocSignatureProblems(file));
    }
  }
}

/** The pinned Node builds follow the `node` devDependency (the Node the tests run), where the registry has it. */
export function checkPinnedNode(checks) {
  const devNode = JSON.parse(readFileSync('node_modules/node/package.json', 'utf8')).version;
  const linux = BACKEND_TARGETS.filter((t) => t.platform.startsWith('linux_'));
  checks.check(
    `the Linux executables are built on Node ${devNode}, the node devDependency's`,
    linux.filter((t) => t.version !== devNode).map((t) => `${t.platform} pins ${t.nodePackage}@${t.version}`)
  );
}

/** The checker can fail: one flipped byte breaks a page hash; Apple's own signature on Node passes its hashes. */
export function checkTheChecker(checks) {
  const target = BACKEND_TARGETS.find((t) => t.platform === 'darwin_arm64');
  const path = join(DIST, target.executable);
  if (!existsSync(path)) {
    checks.check('the signature check catches a changed byte', ['no darwin_arm64 executable to check with']);
    return;
  }
  const tampered = readFileSync(path);
  tampered[tampered.length >> 1] ^= 0x01;
  const problems = adHocSignatureProblems(tampered);
  checks.check(
    'the signature check catches a changed byte',
    problems.some((p) => /page hashes do not match/.test(p)) ? [] : [`it reported: ${problems.join('; ') || 'nothing'}`]
  );
  const official = readFileSync(nodeExecutable(target, () => {}).node);
  const officialProblems = adHocSignatureProblems(official);
  // The release is signed with the Node.js Foundation's identity, not ad hoc: that must be the only difference.
  checks.check(
    "the signature check agrees with Apple's signature on the official Node build",
    officialProblems.length === 1 && /not flagged ad hoc/.test(officialProblems[0]) ? [] : officialProblems
  );
}
