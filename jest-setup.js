// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { cleanup, configure } from '@testing-library/react';
import { settleUserActions } from './src/test/user';

// findBy*/waitFor wait for state, not for a deadline: the bound only ends a test that hangs, on a busy machine too.
configure({ asyncUtilTimeout: 60_000 });

// A timed-out test's typing finishes before the next test renders, then its tree is unmounted.
afterEach(async () => {
  await settleUserActions();
  cleanup();
});
