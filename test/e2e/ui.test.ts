/**
 * UI-level check in a real VS Code workbench (code-server + headless Chromium), with the packaged
 * .vsix installed as a user would: the log is coloured, and moving the mouse over a number shows
 * the decoding in VS Code's hover widget. Screenshots go to test-output/ (ignored by git).
 * Waits are on DOM signals (workbench rendered, the extension's status item ready, the hover shown).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FIXTURES, ROOT } from '../support/paths';
import { makeLanguagePack } from './language-pack';

const OUTPUT = path.join(ROOT, 'test-output');
const VSIX = process.env['BUNDLE_LENS_E2E_VSIX'] ?? path.join(OUTPUT, 'bundle-lens-e2e.vsix');

type Page = any;

async function openFile(page: Page, relative: string): Promise<void> {
  const folder = path.posix.dirname(relative);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relative);
  // Several files share the name sfc.exe.log: pick the row whose description is the right folder.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: folder }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  // Signals that the right editor is showing: its breadcrumbs name the folder, and the grammar
  // has tokenised the visible lines (a token with a class other than the default mtk1).
  await page.locator('.breadcrumbs-control', { hasText: path.posix.basename(folder) }).waitFor({ state: 'visible' });
  await page.locator('.monaco-editor .view-lines .view-line span > span:not(.mtk1)').first().waitFor({ state: 'visible' });
}

/** Hovers the first editor token whose text is exactly `text`; returns the hover widget's text. */
async function hoverToken(page: Page, text: string, expect: RegExp): Promise<string> {
  const token = page.locator('.monaco-editor .view-lines .view-line span > span', { hasText: new RegExp(`^${text}$`) }).first();
  await token.waitFor({ state: 'visible' });
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect });
  // VS Code asks hover providers again only when the mouse moves: move away and back between tries.
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.mouse.move(5, 5);
    const box = await token.boundingBox();
    assert.ok(box, `token ${text} has no box`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 5_000 });
      return (await hover.innerText()) as string;
    } catch {
      // not shown yet (the language server may still be starting): try again
    }
  }
  const shot = path.join(OUTPUT, `failed-hover-${text}.png`);
  await page.screenshot({ path: shot });
  throw new Error(`no hover matching ${expect} over ${text} (screenshot: ${shot})`);
}

interface Workbench {
  page: Page;
  close(): Promise<void>;
}

/**
 * code-server with the packaged extension installed, on a copy of the fixtures, in a browser.
 * Word wrap keeps long log lines (and the numbers at their ends) on screen and in screenshots.
 */
async function openWorkbench(options: { workspaceTrust?: boolean; fixture?: string; locale?: string; installVsix?: string[] } = {}): Promise<Workbench> {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: the e2e stage of scripts/test.mjs packages it first`);
  mkdirSync(OUTPUT, { recursive: true });
  const workspace = mkdtempSync(path.join(tmpdir(), 'bundle-lens-ui-ws-'));
  cpSync(options.fixture ? path.join(FIXTURES, options.fixture) : FIXTURES, workspace, { recursive: true });
  const mod = await import(pathToFileURL(path.join(ROOT, 'test', 'e2e', 'launcher', 'code-server.mjs')).href);
  const cs = await mod.startCodeServer({
    folder: workspace,
    installVsix: [VSIX, ...(options.installVsix ?? [])],
    workspaceTrust: options.workspaceTrust === true,
    settings: { 'editor.wordWrap': 'on' },
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const browser = await mod.openBrowser(cs.url, options.locale ? { locale: options.locale } : {});
  await browser.page.setViewportSize({ width: 1400, height: 800 });
  return {
    page: browser.page,
    async close() {
      await browser.close();
      await cs.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** The extension's status item turns to a check mark when its language server is ready. */
function serverReady(page: Page): Promise<void> {
  return page.locator('.statusbar-item', { hasText: 'Bundle Lens' }).locator('.codicon-pass').waitFor({ state: 'visible', timeout: 60_000 });
}

describe('Bundle Lens in the VS Code workbench (UI)', () => {
  let browser: Workbench;

  before(async () => {
    browser = await openWorkbench();
    await serverReady(browser.page);
  });

  after(() => browser?.close());

  it('colours sfc.exe.log and decodes 4294965193 on mouse hover', async () => {
    const { page } = browser;
    await openFile(page, 'proxy-bundle/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    await page.locator('.statusbar-item', { hasText: 'Secure Endpoint Log' }).waitFor({ state: 'visible' });
    // Colour: the grammar gives the tokens of one line several distinct theme colours.
    const colours: string[] = await page
      .locator('.monaco-editor .view-lines .view-line span > span')
      .evaluateAll((spans: unknown[]) => [...new Set(spans.map((s) => (globalThis as any).getComputedStyle(s).color as string))]);
    assert.ok(colours.length >= 5, `only ${colours.length} token colours: ${colours.join(', ')}`);
    const text = await hoverToken(page, '4294965193', /could not connect to the proxy/);
    assert.match(text, /-2103/);
    assert.match(text, /0xFFFFF7C9/);
    await page.screenshot({ path: path.join(OUTPUT, 'hover-4294965193.png') });
  });

  it('decodes 4294964296 in the seed log on mouse hover', async () => {
    const { page } = browser;
    await openFile(page, 'seed-001/sfc.exe.log');
    const text = await hoverToken(page, '4294964296', /Unknown_Error/);
    assert.match(text, /-3000/);
    await page.screenshot({ path: path.join(OUTPUT, 'hover-4294964296.png') });
  });
});

/** Runs a command from the palette by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

describe('Bundle Lens trees and the Diagnose report (UI)', () => {
  let browser: Workbench;

  before(async () => {
    // The workspace is one bundle: the extension analyses it on start and the trees show it.
    browser = await openWorkbench({ fixture: 'proxy-bundle' });
    await serverReady(browser.page);
  });

  after(() => browser?.close());

  it('shows the Endpoint, Findings, Codes and Timeline trees of the bundle', async () => {
    const { page } = browser;
    await runCommand(page, 'Bundle Lens: Focus on Findings View');
    const findings = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Findings' }) });
    await findings.locator('.monaco-list-row', { hasText: 'Errors (2)' }).waitFor({ state: 'visible', timeout: 60_000 });
    // The badge on the activity bar and the counts in the status bar.
    await page.locator('[aria-label^="Bundle Lens findings: 2 errors"]').first().waitFor({ state: 'visible' });
    const endpoint = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Endpoint' }) });
    await endpoint.locator('.monaco-list-row', { hasText: 'TETRA updates' }).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(OUTPUT, 'trees.png') });
  });

  it('Diagnose TETRA Failure opens the report with the verdict and its steps; an evidence link opens the log at its line', async () => {
    const { page } = browser;
    await runCommand(page, 'Bundle Lens: Diagnose TETRA Failure');
    // The report is a webview: an iframe holding the page in an inner frame.
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await report.locator('h1', { hasText: 'TETRA diagnosis' }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await report.locator('section.verdict').getAttribute('data-verdict'), 'proxy-connect');
    const steps = (await report.locator('li.step').evaluateAll((li: any[]) => li.map((x) => `${x.dataset.step}=${x.className}`))) as string[];
    assert.equal(steps.length, 9, steps.join(', '));
    assert.ok(steps.includes('tetra.proxy=step status-fail'), steps.join(', '));
    await page.screenshot({ path: path.join(OUTPUT, 'diagnose-tetra-report.png') });
    // Bundle text is text in the page, never markup: no element came from it.
    assert.equal(await report.locator('#report script, #report iframe, #report img').count(), 0);
    const link = report.locator('li[data-step="tetra.proxy"] a.place', { hasText: 'sfc.exe.log:' }).first();
    const place = (await link.innerText()) as string;
    const line = Number(place.split(':').pop());
    await link.click();
    // The editor shows the log with the cursor on that line (the status bar says so).
    await page.locator('.breadcrumbs-control', { hasText: '8.1.7.21417' }).waitFor({ state: 'visible' });
    await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(OUTPUT, 'report-evidence-opened.png') });
  });
});

describe('Bundle Lens in Restricted Mode (untrusted bundle)', () => {
  let browser: Workbench;

  before(async () => {
    browser = await openWorkbench({ workspaceTrust: true });
  });

  after(() => browser?.close());

  it('keeps colour, hover and the language server working when the folder is not trusted', async () => {
    const { page } = browser;
    // VS Code says it is in Restricted Mode (status bar item or banner).
    await page.locator('.statusbar-item, .monaco-banner', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await serverReady(page);
    await openFile(page, 'proxy-bundle/Cisco/AMP/8.1.7.21417/sfc.exe.log');
    const text = await hoverToken(page, '4294965193', /could not connect to the proxy/);
    assert.match(text, /-2103/);
    await page.screenshot({ path: path.join(OUTPUT, 'restricted-mode-hover.png') });
  });
});

describe('Bundle Lens in Japanese (UI)', () => {
  let browser: Workbench;
  let scratch: string;
  const ja: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.ja.json'), 'utf8'));
  const nlsJa: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.ja.json'), 'utf8'));
  const nlsEn: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));

  before(async () => {
    // VS Code's display language set to Japanese (a stand-in language pack: see language-pack.ts).
    scratch = mkdtempSync(path.join(tmpdir(), 'bundle-lens-ui-ja-'));
    const pack = makeLanguagePack('ja', 'Japanese', '日本語', scratch);
    browser = await openWorkbench({ fixture: 'proxy-bundle', locale: 'ja', installVsix: [pack] });
    await serverReady(browser.page);
  });

  after(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('hovers a code in Japanese', async () => {
    const { page } = browser;
    await openFile(page, 'Cisco/AMP/8.1.7.21417/sfc.exe.log');
    const summary = ja['TETRA update: could not connect to the proxy.']!;
    const text = await hoverToken(page, '4294965193', new RegExp(summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(text, /-2103/);
    await page.screenshot({ path: path.join(OUTPUT, 'hover-ja.png') });
  });

  it('finds Diagnose TETRA Failure by its Japanese title and shows the report in Japanese', async () => {
    const { page } = browser;
    const key = Object.keys(nlsEn).find((k) => nlsEn[k] === 'Diagnose TETRA Failure')!;
    await runCommand(page, nlsJa[key]!);
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await report.locator('section.verdict').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await report.locator('section.verdict').getAttribute('data-verdict'), 'proxy-connect');
    const heading = (await report.locator('h1').first().innerText()) as string;
    assert.match(heading, /[\u3040-\u30ff\u4e00-\u9fff]/, heading);
    await page.screenshot({ path: path.join(OUTPUT, 'diagnose-tetra-report-ja.png') });
  });
});
