import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';

test.describe('query editor in Explore', () => {
  test('switching the query type shows that type’s filters', async ({ explorePage, page }) => {
    await explorePage.datasource.set('Wiretrace');
    const row = explorePage.getQueryEditorRow('A');
    await expect(row.getByTestId(testIds.queryEditor.policy)).toBeVisible();
    await row.getByTestId(testIds.queryEditor.queryType).click();
    await page.getByRole('option', { name: /Trace network/ }).click();
    await expect(row.getByTestId(testIds.queryEditor.traceId)).toBeVisible();
    await expect(row.getByTestId(testIds.queryEditor.policy)).toHaveCount(0);
  });

  test('a flows query runs and answers', async ({ explorePage, page }) => {
    await explorePage.datasource.set('Wiretrace');
    const row = explorePage.getQueryEditorRow('A');
    await row.getByTestId(testIds.queryEditor.queryType).click();
    await page.getByRole('option', { name: /^Flows/ }).click();
    await expect(explorePage.runQuery()).toBeOK();
  });
});
