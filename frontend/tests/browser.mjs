// What the browser tests share: Chromium from the system, an axe-core
// check of the page, and a watch for Content-Security-Policy violations.
// (Not itself a test file: node --test runs only *.test.mjs here.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.CONSULT_SCREENSHOTS;

export const BASE = process.env.CONSULT_BASE_URL;

export async function launch() {
  assert.ok(BASE, 'CONSULT_BASE_URL must be set');
  return chromium.launch({
    executablePath: process.env.CONSULT_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new page and the list its CSP violations are collected into.
export async function newPage(browser) {
  const page = await browser.newPage();
  const cspViolations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) cspViolations.push(m.text());
  });
  return { page, cspViolations };
}

export async function checkAccessibility(page, name) {
  // evaluate, not a script tag: the page's CSP rightly refuses inline script.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document));
  const problems = result.violations.map(
    (v) => `${v.id}: ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(problems, [], `accessibility problems on ${name}`);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
