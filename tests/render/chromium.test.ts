import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { planMultilingualSegment } from '../fixtures/render/fixture-languages.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { defaultRenderer } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
// A tiny SVG served for every remote image, so the page never touches the network.
const IMAGE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="1072" height="560"><rect width="1072" height="560" fill="#2d5a88"/></svg>';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** Share of pixels that differ from the top-left pixel, computed in the browser from the PNG. */
async function inkRatio(png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async (dataUrl) => {
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
          if (
            Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!) >
            30
          )
            differing++;
        }
        return differing / (data.length / 4);
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
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
        route.request().url().startsWith('file:')
          ? route.continue()
          : route.fulfill({ contentType: 'image/svg+xml', body: IMAGE }),
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
        const background = await page.evaluate(
          () => getComputedStyle(document.querySelector('.sheet')!).backgroundColor,
        );
        expect(background).toBe('rgb(31, 31, 31)');
      }

      const screenshot = await page.screenshot({ fullPage: false });
      await page.close();
      const ink = await inkRatio(screenshot);
      expect(ink).toBeGreaterThan(0.05);
    });
  }
});

/** axe-core's browser build, injected into the page as a script (it never leaves the machine). */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

describe.skipIf(!fs.existsSync(CHROMIUM))('accessibility of the rendered email (axe-core in Chromium)', () => {
  const makeTempDir = useTempDir('tidings-axe-');

  /** Every part at once: top story with image, linked and unlinked titles, articles with lang, intro, footer. */
  async function writeEdition(): Promise<string> {
    const segment = planMultilingualSegment('en', 'any');
    const rendered = await (await defaultRenderer()).renderSegment(
      segment,
      buildFixtureNewsletter({ languages: 'any' }),
    );
    const file = path.join(makeTempDir(), 'edition.html');
    fs.writeFileSync(file, personalize(rendered, FIXTURE_TOKENS).html);
    return file;
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe violation, colour contrast included (${colorScheme})`, async () => {
      const file = await writeEdition();
      const page = await browser.newPage({ viewport: { width: 800, height: 900 }, colorScheme });
      try {
        await page.route('**/*', (route) =>
          route.request().url().startsWith('file:')
            ? route.continue()
            : route.fulfill({ contentType: 'image/svg+xml', body: IMAGE }),
        );
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        await page.addScriptTag({ content: AXE_SOURCE });
        const result = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: {
                run: (
                  context: Document,
                  options: object,
                ) => Promise<{ violations: AxeViolation[]; passes: { id: string }[] }>;
              };
            }
          ).axe;
          const run = await axe.run(document, { resultTypes: ['violations', 'passes'] });
          return { violations: run.violations, passes: run.passes.map((pass) => pass.id) };
        });
        const serious = result.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map(
            (violation) =>
              `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes.map((node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join(' | ')}`,
          );
        expect(serious).toEqual([]);
        // The contrast rule really ran (and passed) rather than being skipped.
        expect(result.passes).toContain('color-contrast');
        expect(result.passes).toContain('link-name');

        // The dark scheme really applied: the title links switched to their dark-mode colour.
        const titleColor = await page.evaluate(() => getComputedStyle(document.querySelector('a.title-link')!).color);
        expect(titleColor).toBe(colorScheme === 'dark' ? 'rgb(138, 180, 248)' : 'rgb(31, 78, 140)');
      } finally {
        await page.close();
      }
    });
  }

  it('makes linked titles look like links, unlinked titles not, and names each Read more link after its article', async () => {
    const file = await writeEdition();
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    try {
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file:')
          ? route.continue()
          : route.fulfill({ contentType: 'image/svg+xml', body: IMAGE }),
      );
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      const styles = await page.evaluate(() => {
        const look = (element: Element) => {
          const style = getComputedStyle(element);
          return { color: style.color, underline: style.textDecorationLine.includes('underline') };
        };
        return {
          linked: Array.from(document.querySelectorAll('h4 a.title-link'), look),
          plain: Array.from(document.querySelectorAll('h4 .title-plain'), look),
          body: look(document.querySelector('p.body-copy')!),
        };
      });
      expect(styles.linked.length).toBeGreaterThan(5);
      for (const link of styles.linked) expect(link).toEqual({ color: 'rgb(31, 78, 140)', underline: true });
      expect(styles.plain).toEqual([{ color: 'rgb(29, 29, 31)', underline: false }]);

      // The accessible name comes from visually hidden text, so it survives clients that drop aria-label.
      const readMore = page.getByRole('link', {
        name: 'Read more – City council votes to keep the night buses running all winter',
        exact: true,
      });
      await expect(readMore.count()).resolves.toBe(1);
      const visible = await page.evaluate(() => document.querySelector('a.accent')!.getBoundingClientRect().width);
      const hidden = await page.evaluate(() => document.querySelector('a.accent .vh')!.getBoundingClientRect());
      expect(hidden.width).toBeLessThanOrEqual(1);
      expect(visible).toBeLessThan(120);
    } finally {
      await page.close();
    }
  });
});
