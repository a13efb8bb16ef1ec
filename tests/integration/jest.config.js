// Integration tests: root only, real namespaces, real Tempo and Loki; run by tests/tiers/60-integration.mjs.
const path = require('node:path');
const grafanaConfig = require('../../.config/jest.config');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tests/integration'],
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: grafanaConfig.transform,
  testTimeout: 300_000,
};
