// The host specs' fixtures: the scenario, a page that fails its test on any console error or unhandled rejection,
// and screenshots into docs/screenshots/.
import { test as base, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { hostScenario, type HostScenario } from './scenarioFile';

export const APP = '/a/wiretrace-correlation-app';
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

interface HostFixtures {
  scenario: HostScenario;
  // Console errors and uncaught errors seen on the page; checked empty after each test, but for the expected ones.
  problems: string[];
  // A console error this test causes on purpose (an HTTP error status the page is right to report).
  expectProblem: (pattern: RegExp) => void;
  // Opens a host path (app route, dashboard, settings) and waits for the shell.
  open: (path: string) => Promise<void>;
  saveScreenshot: (name: string) => Promise<void>;
}

export const test = base.extend<HostFixtures & { expectedProblems: RegExp[] }>({
  scenario: async ({}, use) => {
    await use(hostScenario());
  },
  expectedProblems: async ({}, use) => {
    await use([]);
  },
  problems: async ({ page, expectedProblems }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()} (${message.location().url})`);
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await use(problems);
    const unexpected = problems.filter((p) => !expectedProblems.some((e) => e.test(p)));
    expect(unexpected, 'console errors or unhandled rejections on the page').toEqual([]);
  },
  expectProblem: async ({ expectedProblems }, use) => {
    await use((pattern) => expectedProblems.push(pattern));
  },
  open: async ({ page, scenario, problems }, use) => {
    void problems; // listening before the first navigation
    await page.addInitScript(() => {
      window.addEventListener('unhandledrejection', (event) =>
        console.error(`unhandled rejection: ${String(event.reason)}`)
      );
    });
    await use(async (path: string) => {
      await page.goto(scenario.url + path);
      await expect(page.getByTestId('host-nav')).toBeVisible();
    });
  },
  saveScreenshot: async ({ page }, use) => {
    await use(async (name: string) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    });
  },
});

export { expect };

/** A panel by its title, as Grafana's PanelChrome marks it; its body is the host's stand-in for a core panel. */
export function panel(page: Page, title: string) {
  return page.getByTestId(`data-testid Panel header ${title}`);
}

/** The links the stand-in panels list for the rows of their frames (field name → hrefs). */
export async function fieldLinks(page: Page, field?: string): Promise<string[]> {
  const selector = field ? `[data-testid="host-field-link"][data-field="${field}"]` : '[data-testid="host-field-link"]';
  return page.locator(selector).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}
