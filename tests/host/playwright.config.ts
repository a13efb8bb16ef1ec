// Playwright for the browser tier without a Grafana server: the host specs against tests/host/ (the built plugin in
// Grafana's frontend libraries, the backend executable behind the Go front), on Debian's Chromium. The specs in
// tests/e2e/ (playwright.config.ts at the root) stay for a real Grafana.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './specs',
  testMatch: /.*\.spec\.ts$/,
  globalSetup: './specs/scenarioSetup.ts',
  // The setup runs a live incident on network namespaces: a fresh machine may take minutes.
  globalTimeout: 20 * 60_000,
  // One page at a time: a busy 2-core machine also runs the backend, the agent and the peers.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: '../../build/e2e-report.json' }]],
  outputDir: '../../build/host/test-results',
  use: {
    viewport: { width: 1400, height: 1000 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
});
