import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTidingsError } from '../../src/core/errors.ts';
import { pickLocale } from '../../src/web/pick-locale.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';

describe('web views', () => {
  const tempDir = useTempDir('tidings-web-views-');

  it('every view renders in every locale with no script and no inline style', () => {
    const views = loadWebViews(TEMPLATES_DIR);
    const names = fs
      .readdirSync(path.join(TEMPLATES_DIR, 'web'))
      .filter((f) => f.endsWith('.hbs') && f !== 'layout.hbs');
    const en = JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, 'locales', 'en.json'), 'utf8')) as Record<
      string,
      string
    >;
    for (const locale of ['en', 'ru', 'de', 'fr']) {
      const table = JSON.parse(
        fs.readFileSync(path.join(TEMPLATES_DIR, 'locales', `${locale}.json`), 'utf8'),
      ) as Record<string, string>;
      expect(
        Object.keys(en).filter((key) => key.startsWith('web_') && !(key in table)),
        locale,
      ).toEqual([]);
      for (const file of names) {
        const html = views.render({
          view: file.slice(0, -4),
          locale,
          context: {
            title: 'T',
            status: 404,
            titleKey: 'web_error_404_title',
            messageKey: 'web_error_404',
            newsletter: { id: 'daily', title: 'Daily' },
            prefs: { maskedEmail: 'a***@x.org', newsletters: [], locales: [] },
            archive: { newsletter: { id: 'daily', title: 'Daily', description: '' }, editions: [] },
            locales: [],
            zones: [],
            categories: [],
          },
        });
        expect(html, `${file} ${locale}`).toMatch(/^<!doctype html>/);
        expect(html).not.toMatch(/<script|\sstyle="|<style/i);
        expect(html).not.toMatch(/web_[a-z_]+/);
        expect(html).toContain(`lang="${locale}"`);
      }
    }
  });

  it('takes overrides file by file from templates.dir, and locale strings key by key', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'web'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'locales'));
    fs.writeFileSync(path.join(dir, 'web', 'style.css'), 'body { color: rebeccapurple; }\n');
    fs.writeFileSync(path.join(dir, 'locales', 'en.json'), JSON.stringify({ web_error_404_title: 'Lost at sea' }));
    const views = loadWebViews(TEMPLATES_DIR, dir);
    expect(views.css.body).toContain('rebeccapurple');
    const html = views.render({
      view: 'error',
      locale: 'en',
      context: { status: 404, titleKey: 'web_error_404_title', messageKey: 'web_error_404' },
    });
    expect(html).toContain('Lost at sea');
    expect(html).toContain('There is nothing at this address');
  });

  it('names the file and line of a broken override', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'web'));
    fs.writeFileSync(path.join(dir, 'web', 'signup.hbs'), '<p>\n{{#if x}}\n</p>{{/each}}\n');
    try {
      loadWebViews(TEMPLATES_DIR, dir);
      expect.unreachable();
    } catch (error) {
      expect(isTidingsError(error) && error.code).toBe('TEMPLATE_INVALID');
      expect((error as Error).message).toContain(`${path.join(dir, 'web', 'signup.hbs')}:`);
    }
  });

  it("picks the subscriber's locale, else the best Accept-Language the files know, else English", () => {
    const tables = { en: {}, ru: {}, de: {} };
    expect(pickLocale(tables, { preferred: 'ru', acceptLanguage: 'de' })).toBe('ru');
    expect(pickLocale(tables, { preferred: 'xx', acceptLanguage: 'fr;q=0.9, de-AT;q=0.8, en;q=0.1' })).toBe('de-AT');
    expect(pickLocale(tables, { acceptLanguage: 'fr, *;q=0.5' })).toBe('en');
    expect(pickLocale(tables, { acceptLanguage: 'ru;q=0, de' })).toBe('de');
    expect(pickLocale(tables, { acceptLanguage: '<script>' })).toBe('en');
  });
});
