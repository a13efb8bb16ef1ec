// Every link the pages put on the incident's rows opens a page or a datasource that exists and shows that subject;
// the drop → case link is followed by clicking, as a user would.
import type { Page } from '@playwright/test';
import { APP, expect, fieldLinks, panel, test } from './hostFixtures';
import { testIds } from '../../../src/components/testIds';

// What a link's target must show once opened.
async function expectTargetShows(page: Page, href: string): Promise<void> {
  await expect(page.getByTestId('host-not-found')).toHaveCount(0);
  await expect(page.getByTestId('host-app-error')).toHaveCount(0);
  const url = new URL(href, 'http://host');
  if (url.pathname === `${APP}/investigate` && url.searchParams.get('drop')) {
    await expect(page.getByTestId(testIds.dropCase.headline)).toBeVisible({ timeout: 60_000 });
  } else if (url.pathname === `${APP}/investigate` && url.searchParams.get('traceId')) {
    await expect(panel(page, 'Trace with network events')).toContainText(url.searchParams.get('traceId')!, {
      timeout: 60_000,
    });
  } else if (url.pathname === `${APP}/flows`) {
    const flows = panel(page, 'Flows, drops and DNS');
    await expect(flows.getByTestId('host-frame')).toBeVisible();
    // A link to all of a pod's flows shows that pod's (every pod of the scenario made or took connections).
    const pod = url.searchParams.get('var-pod');
    if (pod && !url.searchParams.has('var-kinds')) {
      await expect(flows).toContainText(pod);
    }
  } else if (url.pathname === `${APP}/topology`) {
    await expect(panel(page, 'Observed traffic').getByTestId('host-frame').first()).toBeVisible();
  } else if (url.pathname === '/explore') {
    await expect(page.getByTestId('host-explore-missing-datasource')).toHaveCount(0);
    await expect(page.getByTestId('host-explore-pane').first()).toBeVisible();
  } else if (url.pathname.startsWith('/d/')) {
    await expect(page.getByTestId('host-dashboard')).toBeVisible();
  } else {
    throw new Error(`a link to ${href}, which no page of the app or the host answers`);
  }
}

test('the drop link on a failed span opens the drop case', async ({ page, open, scenario }) => {
  await open(`${APP}/overview`);
  const failed = panel(page, 'Failed spans with a network cause');
  await failed.locator('[data-testid="host-field-link"][data-field="drop_id"]').first().click();
  await expect(page).toHaveURL(new RegExp(`${APP}/investigate\\?.*drop=${scenario.dropId}`));
  await expect(page.getByTestId(testIds.dropCase.headline)).toContainText('payments refused frontend', {
    timeout: 60_000,
  });
});

test('the case view links to the broken trace, and its trace page back to the case', async ({
  page,
  open,
  scenario,
}) => {
  await open(`${APP}/investigate?drop=${scenario.dropId}`);
  await page.getByRole('link', { name: new RegExp(`Investigate trace ${scenario.failedTraceId.slice(0, 8)}`) }).click();
  await expect(page).toHaveURL(new RegExp(`traceId=${scenario.failedTraceId}`));
  await expect(panel(page, 'Trace with network events')).toContainText(scenario.failedSpanId, { timeout: 60_000 });
});

test('every link on the rows of every page resolves', async ({ page, open, scenario }) => {
  test.setTimeout(600_000);
  const pages = [
    `${APP}/overview`,
    `${APP}/investigate?traceId=${scenario.failedTraceId}`,
    `${APP}/investigate?drop=${scenario.dropId}`,
    `${APP}/topology`,
    `${APP}/flows`,
    '/d/wiretrace-network-traces',
  ];
  const targets = new Set<string>();
  for (const path of pages) {
    await open(path);
    await expect(page.locator('[data-testid="host-frame"]').first()).toBeVisible({ timeout: 60_000 });
    for (const href of await fieldLinks(page)) {
      targets.add(href);
    }
  }
  // The incident's own subjects are among them.
  const all = [...targets];
  expect(all.some((href) => href.includes(`drop=${scenario.dropId}`))).toBe(true);
  expect(all.some((href) => href.includes(scenario.failedTraceId) && href.startsWith('/explore'))).toBe(true);
  for (const href of all) {
    await open(href);
    await expectTargetShows(page, href);
  }
});

test('a Jaeger trace opened from a link carries the app’s drop-case link; the app’s own trace frame does not', async ({
  page,
  open,
  scenario,
}) => {
  await open(`${APP}/overview`);
  await expect(
    panel(page, 'Failed spans with a network cause').locator('[data-field="trace_id"]').first()
  ).toBeVisible();
  const jaegerLink = (await fieldLinks(page, 'trace_id')).find((href) => href.startsWith('/explore'));
  expect(jaegerLink, 'a trace_id link into Explore').toBeDefined();
  await open(jaegerLink!);
  const header = page.getByTestId('host-trace-view-header');
  await expect(header).toHaveAttribute('data-trace-id', scenario.failedTraceId);
  const extension = header.getByTestId('host-extension-link');
  await expect(extension.first()).toBeVisible();
  await expect(extension.first()).toHaveAttribute(
    'href',
    new RegExp(`${APP}/investigate\\?.*traceId=${scenario.failedTraceId}`)
  );
  // The same trace through the Wiretrace datasource (traceNetwork): not a Tempo or Jaeger trace, no extension link.
  const panes = {
    a: {
      datasource: 'wiretrace',
      queries: [{ refId: 'A', queryType: 'traceNetwork', traceId: scenario.failedTraceId }],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  await open(`/explore?panes=${encodeURIComponent(JSON.stringify(panes))}`);
  const own = page.getByTestId('host-trace-view-header');
  await expect(own).toHaveAttribute('data-trace-id', scenario.failedTraceId, { timeout: 60_000 });
  await expect(own.getByTestId('host-extension-links')).toHaveAttribute('data-loading', 'false');
  await expect(own.getByTestId('host-extension-link')).toHaveCount(0);
});
