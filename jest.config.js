// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const grafanaConfig = require('./.config/jest.config');

// Node-side code (backend, agent, shared model) runs in plain Node; the app runs in jsdom.
const nodeProject = {
  displayName: 'node',
  testEnvironment: 'node',
  roots: ['<rootDir>/backend', '<rootDir>/agent', '<rootDir>/model', '<rootDir>/bench', '<rootDir>/deploy'],
  testMatch: ['**/*.test.ts'],
  transform: grafanaConfig.transform,
  // @kubernetes/client-node 2.x and some of its dependencies ship only ES modules.
  transformIgnorePatterns: [
    'node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus|@jsep-plugin|jsep|rfc4648|socks-proxy-agent|agent-base)/)',
  ],
};

// d3-color 3.1 (under @grafana/data) ships only .mjs, which the scaffold's transform pattern does not match.
const frontendProject = {
  displayName: 'frontend',
  ...grafanaConfig,
  transform: { ...grafanaConfig.transform, '^.+\\.mjs$': grafanaConfig.transform['^.+\\.(t|j)sx?$'] },
};

module.exports = {
  // Tests wait for state, never for time; this bound only ends a hung test, and must hold on a fully busy machine.
  testTimeout: 300_000,
  projects: [
    { ...frontendProject, rootDir: __dirname },
    { ...nodeProject, rootDir: __dirname },
  ],
};
