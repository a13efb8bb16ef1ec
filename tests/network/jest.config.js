// Network tests: root only, real namespaces and tools; run by tests/tiers/50-network.mjs, one file at a time.
const path = require('node:path');
const grafanaConfig = require('../../.config/jest.config');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/network'],
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: grafanaConfig.transform,
  testTimeout: 240_000,
};
