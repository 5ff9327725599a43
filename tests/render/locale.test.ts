import { describe, expect, it } from 'vitest';
import { createTranslator, resolveIntlLocale } from '../../src/render/locale-strings.ts';
import { escapeHtml } from '../../src/render/safe-url.ts';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { defaultRenderer } from './helpers.ts';

describe('locales', () => {
  it('renders Russian strings, dates and times in the subscriber zone', async () => {
    const segment = buildFixtureSegment({ locale: 'ru', timezone: 'Europe/Moscow' });
    const rendered = await (await defaultRenderer()).renderSegment(segment, buildFixtureNewsletter());
    const { html, text } = rendered;
    expect(html).toMatch(/^<!doctype html><html lang="ru"/);
    expect(html).toContain('суббота, 28 ноября 2026');
    expect(html).toContain('Главное');
    expect(html).toContain('Отписаться');
    expect(html).toContain('Настроить рассылку');
    expect(html).toContain('Открыть в браузере');
    expect(html).toContain('Вы получили это письмо, потому что подписались на «The Morning Brief».');
    // 05:10Z is 8:10 in Moscow, 24-hour clock.
    expect(html).toContain('Morning Ledger · 8:10');
    expect(text).toContain('ГЛАВНОЕ');
    expect(rendered.subject).toBe('The Morning Brief · 28 нояб. 2026 г.');
    expect(personalize(rendered, { ...FIXTURE_TOKENS, name: '' }).html).toContain('Здравствуйте, читатель!');
  });

  it('formats German dates and falls back from a regional locale to its language', async () => {
    const rendered = await (await defaultRenderer()).renderSegment(
      buildFixtureSegment({ locale: 'de-AT', timezone: 'Europe/Vienna' }),
      buildFixtureNewsletter(),
    );
    expect(rendered.html).toContain('Samstag, 28. November 2026');
    expect(rendered.html).toContain('Top-Meldung');
    expect(rendered.html).toMatch(/<html lang="de-at"/);
  });

  it('falls back to en for a missing key and to the key itself when en lacks it', () => {
    const translator = createTranslator({ en: { only_en: 'English {what}' }, ru: { hello: 'Привет' } }, 'ru-RU');
    expect(translator.chain).toEqual(['ru-ru', 'ru', 'en']);
    expect(translator.translate('hello')).toBe('Привет');
    expect(translator.translate('only_en', { what: '<b>' }, escapeHtml)).toBe('English &lt;b&gt;');
    expect(translator.translate('no_such_key')).toBe('no_such_key');
    // Personalization tokens in a locale string are not placeholders.
    expect(createTranslator({ en: { g: 'Hi %%{name}%%, {x}' } }, 'en').translate('g', { name: 'N', x: 'X' })).toBe(
      'Hi %%{name}%%, X',
    );
    expect(resolveIntlLocale('xx-!!')).toBe('en');
  });
});
