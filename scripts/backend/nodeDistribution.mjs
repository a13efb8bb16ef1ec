// Fetches an official Node build from the npm registry with `npm pack`, checks its integrity, caches it under
// ~/.cache/wiretrace/node-dist/ and returns the path of its Node executable.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_DIST_CACHE = join(homedir(), '.cache', 'wiretrace', 'node-dist');

function npm(args) {
  try {
    return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
  } catch (err) {
    const said = String(err.stderr ?? '')
      .split('\n')
      .filter((line) => /error/i.test(line))
      .slice(0, 3)
      .join(' | ');
    throw new Error(`npm ${args.slice(0, 2).join(' ')} failed${said ? `: ${said}` : ''}`);
  }
}

const sha512 = (path) => `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;

/**
 * @param {import('./targets.mjs').NodeBuild} nodeBuild
 * @param {(line: string) => void} log
 * @returns {{ node: string, downloadedBytes: number }} the extracted Node executable and the bytes fetched now
 */
export function nodeExecutable(nodeBuild, log) {
  const { nodePackage, version, binary } = nodeBuild;
  const spec = `${nodePackage}@${version}`;
  const tarball = join(NODE_DIST_CACHE, `${nodePackage}-${version}.tgz`);
  const dir = join(NODE_DIST_CACHE, `${nodePackage}-${version}`);
  const node = join(dir, binary);
  mkdirSync(NODE_DIST_CACHE, { recursive: true });
  // Pinned integrity where the table has one; otherwise the registry's own record of the tarball.
  const expected = nodeBuild.integrity ?? npm(['view', spec, 'dist.integrity']).trim();
  if (!expected.startsWith('sha512-')) {
    throw new Error(`the registry has no sha512 integrity for ${spec}`);
  }
  let downloadedBytes = 0;
  if (!existsSync(tarball) || sha512(tarball) !== expected) {
    rmSync(dir, { recursive: true, force: true });
    log(`fetching ${spec}`);
    const [packed] = JSON.parse(
      npm(['pack', spec, '--json', '--loglevel=error', '--pack-destination', NODE_DIST_CACHE])
    );
    downloadedBytes = packed.size;
    if (packed.integrity !== expected || sha512(tarball) !== expected) {
      rmSync(tarball, { force: true });
      throw new Error(`${spec}: integrity ${packed.integrity} is not the expected ${expected}`);
    }
  }
  if (!existsSync(node)) {
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', partial, '--strip-components', '1', `package/${binary}`]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  if (statSync(node).size === 0) {
    throw new Error(`${spec}: ${binary} is empty`);
  }
  return { node, downloadedBytes };
}
