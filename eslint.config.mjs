import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/build/',
      '**/.cache/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // Node-side code: backend datasource, capture agent, shared model, benchmarks and test tiers.
    files: [
      'backend/**/*.ts',
      'agent/**/*.ts',
      'deploy/**/*.ts',
      'model/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.mjs',
      'tests/**/*.{ts,mjs}',
    ],
  },
  {
    // Component tests type and click through setupUser(): no keystroke delays, nothing left typing after a test.
    files: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@testing-library/user-event', message: "Use setupUser() from 'src/test/user'." }] },
      ],
    },
  },
]);
