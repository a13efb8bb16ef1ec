// The peer contract: every peer declares itself fully and permissively, and a failed build fails awaitPeer with its log.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const scratch = mkdtempSync(join(tmpdir(), 'wt-peers-'));
process.env.WIRETRACE_CACHE = join(scratch, 'cache');
process.env.WIRETRACE_PEER_LOG_DIR = join(scratch, 'logs');
const { PEERS, awaitPeer, peerBinary } = await import('./index.mjs');

test('every peer names its version, a permissive licence, its binary and a build', () => {
  assert.ok(PEERS.size >= 3, `peers found: ${[...PEERS.keys()].join(', ')}`);
  for (const peer of PEERS.values()) {
    assert.match(peer.version, /^v?\d+\.\d+/, peer.name);
    assert.doesNotMatch(peer.licence, /AGPL|GPL-3/i, peer.name);
    assert.equal(typeof peer.build, 'function', peer.name);
    assert.equal(peerBinary(peer.name), join(scratch, 'cache', 'bin', `${peer.name}-${peer.version}`, peer.binaryName));
  }
});

test('awaitPeer rejects with the end of the build log when the build failed', async () => {
  const logs = join(scratch, 'logs');
  mkdirSync(logs, { recursive: true });
  // A live builder (this process) so awaitPeer reads the status instead of starting one.
  writeFileSync(join(logs, 'builder.pid'), `${process.pid}\n`);
  writeFileSync(join(logs, 'jaeger.log'), 'go: downloading something\ncompile: out of memory\n');
  writeFileSync(
    join(logs, 'jaeger.status.json'),
    JSON.stringify({ state: 'failed', error: 'go build failed (exit 2)' })
  );
  await assert.rejects(awaitPeer('jaeger'), (err) => {
    assert.match(err.message, /test peer jaeger could not be built: go build failed \(exit 2\)/);
    assert.match(err.message, /compile: out of memory/);
    return true;
  });
});

test('awaitPeer names the known peers when asked for an unknown one', async () => {
  await assert.rejects(awaitPeer('tempo'), /no test peer named "tempo" \(known: .*jaeger/);
});
