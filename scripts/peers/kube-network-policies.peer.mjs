// kube-network-policies (Apache-2.0), SIG-Network's reference NetworkPolicy enforcer, unmodified: it decides the
// integration scenario's policy drops on packets it takes from an nfqueue, reading policies from the kube-apiserver peer.
import { join } from 'node:path';
import { buildGoPeer } from './goPeer.mjs';

export default {
  name: 'kube-network-policies',
  version: 'v0.8.0',
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 60,
  licence: 'Apache-2.0',
  binaryName: 'kube-network-policies',
  async build({ outDir, log, logFile }) {
    await buildGoPeer({
      module: 'kube-network-policies',
      pkg: 'sigs.k8s.io/kube-network-policies/cmd',
      output: join(outDir, 'kube-network-policies'),
      logFile,
      log,
    });
  },
};
