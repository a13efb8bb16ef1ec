// The go.mod reading behind the wrapper-module check, and that each wrapper pins what upstreams.mjs says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { missingDirectives, readGoModDirectives } from '../../scripts/stack/goModule.mjs';
import { REPO_ROOT } from '../../scripts/stack/paths.mjs';
import { UPSTREAMS } from '../../scripts/stack/upstreams.mjs';

const RELEASE_GO_MOD = `module github.com/example/server

go 1.26.5

require (
	github.com/a/b v1.0.0
)

// Use our fork.
replace github.com/gocql/gocql => github.com/grafana/gocql v0.0.0-20200605141915-ba5dc39ece85

replace (
	k8s.io/api => k8s.io/api v0.36.0 // pinned
	k8s.io/client-go => k8s.io/client-go v0.36.0
)

replace github.com/example/server/pkg/push => ./pkg/push

exclude k8s.io/client-go v8.0.0+incompatible
`;

describe('readGoModDirectives', () => {
  it('reads single-line and block replaces, comments stripped, and marks filesystem targets local', () => {
    const { replaces, excludes } = readGoModDirectives(RELEASE_GO_MOD);
    assert.deepEqual(replaces, [
      {
        from: 'github.com/gocql/gocql',
        to: 'github.com/grafana/gocql v0.0.0-20200605141915-ba5dc39ece85',
        local: false,
      },
      { from: 'k8s.io/api', to: 'k8s.io/api v0.36.0', local: false },
      { from: 'k8s.io/client-go', to: 'k8s.io/client-go v0.36.0', local: false },
      { from: 'github.com/example/server/pkg/push', to: './pkg/push', local: true },
    ]);
    assert.deepEqual(excludes, ['k8s.io/client-go v8.0.0+incompatible']);
  });

  it('ignores require blocks and module lines', () => {
    assert.deepEqual(readGoModDirectives('module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n'), {
      replaces: [],
      excludes: [],
    });
  });
});

describe('missingDirectives', () => {
  const release = readGoModDirectives(RELEASE_GO_MOD);

  it('names every module replace and exclude a wrapper forgot, never the local ones', () => {
    const wrapper = readGoModDirectives('module w\n\nreplace k8s.io/api => k8s.io/api v0.36.0\n');
    assert.deepEqual(missingDirectives(release, wrapper), [
      'replace github.com/gocql/gocql => github.com/grafana/gocql v0.0.0-20200605141915-ba5dc39ece85',
      'replace k8s.io/client-go => k8s.io/client-go v0.36.0',
      'exclude k8s.io/client-go v8.0.0+incompatible',
    ]);
  });

  it('flags a replace whose target version differs', () => {
    const wrapper = readGoModDirectives(
      RELEASE_GO_MOD.replace(
        'k8s.io/client-go => k8s.io/client-go v0.36.0',
        'k8s.io/client-go => k8s.io/client-go v0.35.0'
      )
    );
    assert.deepEqual(missingDirectives(release, wrapper), ['replace k8s.io/client-go => k8s.io/client-go v0.36.0']);
  });
});

describe('wrapper modules', () => {
  for (const release of Object.values(UPSTREAMS)) {
    it(`${release.wrapperDir} requires ${release.module} at the pinned ${release.moduleVersion}`, () => {
      const goMod = readFileSync(join(REPO_ROOT, release.wrapperDir, 'go.mod'), 'utf8');
      assert.match(
        goMod,
        new RegExp(`^require ${release.module.replace(/[.]/g, '\\.')} ${release.moduleVersion}$`, 'm')
      );
    });
  }
});
