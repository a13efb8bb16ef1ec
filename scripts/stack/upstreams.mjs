// The upstream servers the local stack runs, pinned. Bump a version here and in its wrapper module together.

/**
 * @typedef {object} UpstreamRelease
 * @property {string} name          short name: binary file name prefix, service name
 * @property {string} module        Go module of the release
 * @property {string} version       the release tag
 * @property {string} moduleVersion the version the module proxy knows the tag by (a pseudo-version when the
 *                                  module path lacks its major-version suffix)
 * @property {string} commandPackage package of the server's main
 * @property {string} wrapperDir    wrapper module (relative to the repo) that requires the release
 */

/** @type {Record<'loki' | 'tempo', UpstreamRelease>} */
export const UPSTREAMS = {
  loki: {
    name: 'loki',
    module: 'github.com/grafana/loki/v3',
    version: 'v3.7.8',
    moduleVersion: 'v3.7.8',
    commandPackage: 'github.com/grafana/loki/v3/cmd/loki',
    wrapperDir: 'tests/stack/loki',
  },
  tempo: {
    name: 'tempo',
    module: 'github.com/grafana/tempo',
    version: 'v2.10.8',
    moduleVersion: 'v1.5.1-0.20260813170847-f0f3ed59197b',
    commandPackage: 'github.com/grafana/tempo/cmd/tempo',
    wrapperDir: 'tests/stack/tempo',
  },
};
