// Integration tests: root only, real namespaces, real Tempo and Loki; run by tests/tiers/60-integration.mjs.
const path = require('node:path');
const grafanaConfig = require('../../.config/jest.config');
// The node project's transform rules: @kubernetes/client-node and its dependencies ship only ES modules.
const nodeProject = require('../../jest.config').projects.find((p) => p.displayName === 'node');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/integration'],
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: grafanaConfig.transform,
  transformIgnorePatterns: nodeProject.transformIgnorePatterns,
  testTimeout: 300_000,
};
