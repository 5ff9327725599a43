import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { defaultRenderer } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
// A tiny SVG served for every remote image, so the page never touches the network.
const IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="1072" height="560"><rect width="1072" height="560" fill="#2d5a88"/></svg>';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
});

/** Share of pixels that differ from the top-left pixel, computed in the browser from the PNG. */
async function inkRatio(png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let differing = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!) > 30) differing++;
      }
      return differing / (data.length / 4);
    }, `data:image/png;base64,${png.toString('base64')}`);
  } finally {
    await page.close();
  }
}

describe.skipIf(!fs.existsSync(CHROMIUM))('rendered HTML in headless Chromium', () => {
  const makeTempDir = useTempDir('tidings-chromium-');
  for (const [label, width, colorScheme] of [
    ['desktop light', 800, 'light'],
    ['phone dark', 390, 'dark'],
  ] as const) {
    it(`loads without console errors and shows content (${label})`, async () => {
      const rendered = await (await defaultRenderer()).renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
      const file = path.join(makeTempDir(), 'edition.html');
      fs.writeFileSync(file, personalize(rendered, FIXTURE_TOKENS).html);

      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.fulfill({ contentType: 'image/svg+xml', body: IMAGE }),
      );
      await page.goto(`file://${file}`, { waitUntil: 'load' });

      expect(errors).toEqual([]);
      expect(await page.title()).toBe('The Morning Brief · Saturday, November 28, 2026');
      const visible = await page.evaluate(() => document.body.innerText);
      expect(visible).toContain('City council votes to keep the night buses running all winter');
      expect(visible).toContain('Unsubscribe');
      // One column that fits the viewport: no horizontal scrolling on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const image = await page.evaluate(() => {
        const img = document.querySelector('img');
        return img ? { loaded: img.complete && img.naturalWidth > 0, alt: img.alt } : null;
      });
      expect(image).toEqual({ loaded: true, alt: 'City council votes to keep the night buses running all winter' });
      if (colorScheme === 'dark') {
        const background = await page.evaluate(() => getComputedStyle(document.querySelector('.sheet')!).backgroundColor);
        expect(background).toBe('rgb(31, 31, 31)');
      }

      const screenshot = await page.screenshot({ fullPage: false });
      await page.close();
      const ink = await inkRatio(screenshot);
      expect(ink).toBeGreaterThan(0.05);
    });
  }
});
