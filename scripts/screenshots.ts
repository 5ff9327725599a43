/**
 * Writes a 375 px wide screenshot of every web page to docs/screenshots/ (run:
 * `npx tsx scripts/screenshots.ts`). The pages come from the real server, views and
 * stylesheet over the tests' stand-in subscriber service, and the edition page from the
 * real email renderer on the tests' fictional edition; Chromium is Debian's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { personalize } from '../src/render/personalize.ts';
import { createRenderer } from '../src/render/create-renderer.ts';
import { createSilentLogger } from '../src/core/logger.ts';
import { buildFixtureNewsletter, buildFixtureSegment } from '../tests/fixtures/render/fixture-edition.ts';
import { createStandInService } from '../tests/web/support/stand-in-service.ts';
import { buildWebApp, TEMPLATES_DIR } from '../tests/web/support/web-app.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const WIDTH = 375;

const service = createStandInService();
const renderer = await createRenderer({ templatesDir: TEMPLATES_DIR, logger: createSilentLogger() });
// The web page's rendering: a footer for a web reader, with the archive and signup links.
const webReader = {
  archiveUrl: 'https://news.example.org/archive/daily',
  signupUrl: 'https://news.example.org/s/daily',
};
const rendered = await renderer.renderSegment({ ...buildFixtureSegment(), webReader }, buildFixtureNewsletter());
const html = personalize(rendered, {
  name: '',
  email: '',
  unsubscribe_url: '',
  preferences_url: '',
  view_url: '',
}).html;
service.editions.set('daily/2026-11-28T07:00', {
  id: 'daily/2026-11-28T07:00',
  newsletter: { id: 'daily', title: 'Daily Brief' },
  subject: rendered.subject,
  slot: '2026-11-28T07:00:00+01:00',
  sentAt: '2026-11-28T06:00:04Z',
  html,
  text: rendered.text,
  highlights: ['Quantum sensor maps the ocean floor'],
  archivePublic: true,
});
service.archive = {
  newsletter: { id: 'daily', title: 'Daily Brief', description: 'The morning digest of security and science news.' },
  editions: ['28', '27', '26', '25'].map((day) => ({
    id: `daily/2026-11-${day}T07:00`,
    subject: `Daily Brief · ${day} Nov 2026`,
    highlights: [`Top story of ${day} Nov`, 'A section lead', 'Another lead'],
    html,
    slot: `2026-11-${day}T07:00:00+01:00`,
    sentAt: `2026-11-${day}T06:00:04Z`,
    path: `/e/daily/2026-11-${day}T07:00`,
  })),
  updatedAt: '2026-11-28T06:00:04Z',
};

const { app } = await buildWebApp(service);
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 740 }, deviceScaleFactor: 1 });
  // Article images point at other sites: answer them locally so nothing leaves the machine.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="1072" height="560"><rect width="1072" height="560" fill="#2d5a88"/></svg>',
    }),
  );
  fs.mkdirSync(OUT, { recursive: true });
  const shoot = async (name: string) => {
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  };
  const u = `${base}/u/${service.tokens.unsubscribe}`;
  const p = `${base}/p/${service.tokens.preferences}`;

  await page.goto(u);
  await shoot('unsubscribe');
  await page.click('button[type=submit]');
  await page.waitForURL(u);
  await shoot('unsubscribed');
  await page.goto(p);
  await shoot('preferences');
  await page.click('form:has(input[value=erase]) button');
  await shoot('erase-confirm');
  await page.click('button[type=submit]');
  await shoot('erased');
  await page.goto(`${base}/s/daily`);
  await shoot('signup');
  await page.fill('input[name=email]', 'reader@example.org');
  await page.click('form button[type=submit]');
  await shoot('signup-sent');
  await page.goto(`${base}/s/daily/confirm/c0nfirm.t0ken`);
  await shoot('signup-confirmed');
  await page.goto(`${base}/archive/daily`);
  await shoot('archive');
  await page.goto(`${base}/e/daily/2026-11-28T07:00`);
  await shoot('edition');
  await page.goto(`${u.slice(0, -4)}AAAA`);
  await shoot('error-token');
  await page.goto(`${base}/nothing-here`);
  await shoot('error-404');
} finally {
  await browser.close();
  await app.close();
}
