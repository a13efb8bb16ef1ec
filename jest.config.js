// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const grafanaConfig = require('./.config/jest.config');

// Node-side code (backend, agent, shared model) runs in plain Node; the app runs in jsdom.
const nodeProject = {
  displayName: 'node',
  testEnvironment: 'node',
  roots: ['<rootDir>/backend', '<rootDir>/agent', '<rootDir>/model', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  transform: grafanaConfig.transform,
  // @kubernetes/client-node 2.x and some of its dependencies ship only ES modules.
  transformIgnorePatterns: [
    'node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus|@jsep-plugin|jsep|rfc4648|socks-proxy-agent|agent-base)/)',
  ],
};

module.exports = {
  projects: [{ displayName: 'frontend', ...grafanaConfig, rootDir: __dirname }, { ...nodeProject, rootDir: __dirname }],
};
