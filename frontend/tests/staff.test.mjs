// Policy staff browse the results in headless Chromium: the list, a
// consultation's dashboard and a question's breakdown with another field;
// axe-core checks every page and the chart must load.
// Run by tests/browser.rs, which starts the server and sets CONSULT_BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, launch, newPage } from './browser.mjs';

test('policy staff read a breakdown; researchers find the downloads', async () => {
  const browser = await launch();
  try {
    const { page, cspViolations } = await newPage(browser);
    await page.goto(`${BASE}/staff`);
    // Signed out: the sign-in page, which brings us back.
    assert.match(page.url(), /\/sign-in\?next=%2Fstaff$/);
    await checkAccessibility(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter your email address/);
    await checkAccessibility(page, 'sign-in-errors');
    await page.getByLabel('Email address').fill(process.env.CONSULT_STAFF_EMAIL);
    await page.getByLabel('Password').fill(process.env.CONSULT_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(page.url(), /\/staff$/);
    await checkAccessibility(page, 'staff-index');
    await page.getByRole('link', { name: 'Next steps for system working' }).click();
    assert.match(await page.locator('h1').innerText(), /Next steps for system working/);
    await checkAccessibility(page, 'staff-dashboard');
    await page.getByRole('link', { name: /^q10:/ }).click();
    await checkAccessibility(page, 'staff-question');
    await page.getByLabel('Break down by').selectOption('region');
    await page.getByRole('button', { name: 'Show results' }).click();
    assert.match(page.url(), /by=region/);
    const chart = page.locator('img.consult-chart');
    await chart.waitFor();
    const width = await chart.evaluate((img) => img.complete && img.naturalWidth);
    assert.ok(width > 0, 'the chart loads');
    await checkAccessibility(page, 'staff-question-by-region');
    await page.goto(`${BASE}/research`);
    assert.match(await page.locator('h1').innerText(), /Data for researchers/);
    await checkAccessibility(page, 'research');
    assert.deepEqual(cspViolations, [], 'the pages keep to their Content-Security-Policy');
  } finally {
    await browser.close();
  }
});
