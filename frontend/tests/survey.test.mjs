// A member completes the survey in headless Chromium, with one validation
// error and its correction; axe-core checks every page on the way.
// Run by tests/browser.rs, which starts the server and sets CONSULT_BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { BASE, checkAccessibility, launch, newPage } from './browser.mjs';

test('a member completes the consultation', async () => {
  const browser = await launch();
  try {
    const { page, cspViolations } = await newPage(browser);
    await page.goto(`${BASE}/`);
    await checkAccessibility(page, 'home');
    await page.getByRole('link', { name: 'Next steps for system working' }).click();
    await checkAccessibility(page, 'start');
    await page.getByRole('button', { name: 'Start now' }).click();

    // About you, first without a region.
    await page.getByLabel('Clinical commissioning group (CCG)').check();
    await page.getByLabel('Chief executive').check();
    await page.getByLabel('Which organisation do you work for?').fill('Example CCG');
    await checkAccessibility(page, 'about');
    await page.getByRole('button', { name: 'Continue' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await assert.doesNotReject(summary.waitFor());
    assert.match(await summary.innerText(), /An answer is required/);
    assert.ok(await page.getByLabel('Clinical commissioning group (CCG)').isChecked(), 'answers kept');
    await checkAccessibility(page, 'about-error');
    await page.getByLabel('London').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Purpose: the follow-up appears once "partly agree" is chosen.
    const why = page.getByLabel('What would you change about these purposes?');
    assert.equal(await why.isVisible(), false, 'follow-up hidden until it applies');
    await page.getByLabel('Partly agree').check();
    await why.fill('Written, then no longer applies.');
    await page.getByLabel('Agree', { exact: true }).check();
    assert.equal(await why.isVisible(), false, 'hidden again once it no longer applies');
    assert.ok(await why.isDisabled(), 'a hidden follow-up sends nothing');
    await page.getByLabel('Partly agree').check();
    assert.ok(await why.isEnabled());
    await why.fill('Add prevention and wider determinants.');
    await checkAccessibility(page, 'purpose');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByLabel(/^The integration of health, public health and care services/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('checkbox', { name: 'Quality' }).check();
    await checkAccessibility(page, 'accountability');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.locator('#q11').check();
    await page.getByLabel('A joint committee').check();
    await page.getByLabel('It should be tweaked to make it more compatible with ICS working').check();
    await checkAccessibility(page, 'operating-model');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    assert.match(await page.locator('h1').innerText(), /Check your answers/);
    await checkAccessibility(page, 'check');
    await page.getByRole('button', { name: 'Submit response' }).click();

    assert.match(await page.locator('h1').innerText(), /Response submitted/);
    const receipt = await page.locator('#receipt').innerText();
    assert.match(receipt, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await checkAccessibility(page, 'confirmation');
    await page.getByRole('link', { name: 'View and print a copy of your answers' }).click();
    assert.match(await page.content(), /Add prevention and wider determinants/);
    await checkAccessibility(page, 'print');
    await page.goBack();
    await page.getByRole('link', { name: 'Withdraw your response' }).click();
    await page.getByRole('button', { name: 'Withdraw my response' }).click();
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter your reference number/);
    await checkAccessibility(page, 'withdraw-error');
    if (process.env.CONSULT_RECEIPT_FILE) writeFileSync(process.env.CONSULT_RECEIPT_FILE, receipt);
    assert.deepEqual(cspViolations, [], 'the pages keep to their Content-Security-Policy');
  } finally {
    await browser.close();
  }
});
