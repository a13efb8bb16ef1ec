// The Kubernetes API server (Apache-2.0), built from k8s.io/kubernetes at a pinned release: the agent's informers,
// its RBAC and the NetworkPolicy enforcer talk to it for real. Its storage is the etcd peer.
import { join } from 'node:path';
import { buildGoPeer } from './goPeer.mjs';

const VERSION = 'v1.37.2';
// The API server reports these at /version; without them it calls itself v0.0.0-master.
const VERSION_PACKAGE = 'k8s.io/component-base/version';
const [MAJOR, MINOR] = VERSION.slice(1).split('.');

export default {
  name: 'kube-apiserver',
  version: VERSION,
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 60,
  // The longest build (~21 min on two busy cores, ~3 GB): started first so the tiers that need it wait least.
  longBuild: true,
  licence: 'Apache-2.0',
  binaryName: 'kube-apiserver',
  async build({ outDir, log, logFile }) {
    await buildGoPeer({
      module: 'kube-apiserver',
      pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
      output: join(outDir, 'kube-apiserver'),
      ldflags: [
        `-X ${VERSION_PACKAGE}.gitVersion=${VERSION}`,
        `-X ${VERSION_PACKAGE}.gitMajor=${MAJOR}`,
        `-X ${VERSION_PACKAGE}.gitMinor=${MINOR}`,
        `-X ${VERSION_PACKAGE}.gitTreeState=clean`,
      ],
      logFile,
      log,
    });
  },
};
