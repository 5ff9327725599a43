import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { planMultilingualSegment } from '../fixtures/render/fixture-languages.ts';
import { defaultRenderer, FIXTURES_DIR } from './helpers.ts';

const RUSSIAN_TITLE = 'Городской совет продлил ночные автобусы до весны';
const GERMAN_TITLE = 'Moos auf Norddächern kühlt Häuser';
const RUSSIAN_SCIENCE_TITLE = 'Донные отложения озера рассказали о старом наводнении';
const PAGE_DUMP_TITLE = 'Notice board: ferry timetable for December';

function expectGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(fs.existsSync(file), `${name} missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

const cardTitles = (html: string) =>
  [...html.matchAll(/<h[24][^>]*>(?:<a [^>]*>|<span class="title-plain">)([^<]*)</g)].map((m) => m[1]);

describe('articles by language and localized section titles', () => {
  it('leaves out articles in other languages with languages: strict, keeping unknown ones; the default ranks them last', async () => {
    const titles = (locale: string, languages: 'any' | 'subscriber' | 'strict' = 'strict') => {
      const content = planMultilingualSegment(locale, languages);
      return [content.topStory!.title, ...content.sections.flatMap((s) => s.articles.map((a) => a.title))];
    };
    expect(titles('en')).not.toContain(RUSSIAN_TITLE);
    expect(titles('en')).not.toContain(GERMAN_TITLE);
    expect(titles('en')).toContain(PAGE_DUMP_TITLE);
    expect(titles('de-AT')).toEqual([GERMAN_TITLE, PAGE_DUMP_TITLE]);
    // languages: subscriber (the default) leaves nothing out: each section lists the reader's languages first.
    const german = planMultilingualSegment('de-AT', 'subscriber');
    expect([german.topStory!.title, ...german.sections.flatMap((s) => s.articles.map((a) => a.title))]).toHaveLength(
      10,
    );
    const germanSection = german.sections.find((s) => s.articles.some((a) => a.title === GERMAN_TITLE))!;
    expect(germanSection.articles[0]!.title).toBe(GERMAN_TITLE);
    // languages: any sends everything.
    expect(titles('en', 'any')).toEqual(expect.arrayContaining([RUSSIAN_TITLE, GERMAN_TITLE, PAGE_DUMP_TITLE]));
    expect(titles('en', 'any')).toHaveLength(10);
  });

  it('renders a German email with German section titles and lang on each English and Russian article (golden)', async () => {
    const segment = planMultilingualSegment('de', 'any');
    const rendered = await (await defaultRenderer()).renderSegment(
      segment,
      buildFixtureNewsletter({ languages: 'any', locale: 'de' }),
    );
    const { html } = rendered;
    expect(html).toContain('<html lang="de"');
    for (const title of ['Technik', 'Wissenschaft', 'Wirtschaft']) expect(html).toContain(`>${title}</h3>`);
    // Cards: lang only where the article's language is not the email's (de-DE in a German email has none).
    expect(html).toMatch(new RegExp(`<div class="card" lang="ru"[^>]*>\\s*<h4[^>]*><a [^>]*>${RUSSIAN_TITLE}<`));
    expect(html).toMatch(new RegExp(`<div class="card" style="[^"]*">\\s*<h4[^>]*><a [^>]*>${GERMAN_TITLE}<`));
    expect(html).toMatch(/<div class="card" lang="en"[^>]*>\s*<h4[^>]*><a [^>]*>Harbor city retires/);
    // The top story (English) carries lang too; the page dump has unknown language: no lang.
    expect(html).toMatch(
      /<div lang="en">\s*<div style="margin:0 0 16px"><a href="https:\/\/news\.example\.org\/technology\/tec-100">/,
    );
    expect(html).toMatch(
      new RegExp(`<div class="card" style="[^"]*">\\s*<h4[^>]*><span class="title-plain">${PAGE_DUMP_TITLE}<`),
    );
    expectGolden('golden-de.html', rendered.html);
    expectGolden('golden-de.txt', rendered.text);
  });

  it('renders a Russian reader only Russian and unknown-language articles with languages: strict, under Russian titles (golden)', async () => {
    const segment = planMultilingualSegment('ru', 'strict');
    const rendered = await (await defaultRenderer()).renderSegment(
      segment,
      buildFixtureNewsletter({ languages: 'strict' }),
    );
    const { html } = rendered;
    // The pinned top story is English: left out like the others.
    expect(cardTitles(html)).toEqual([RUSSIAN_TITLE, RUSSIAN_SCIENCE_TITLE, PAGE_DUMP_TITLE]);
    expect(html).toContain('>Наука</h3>');
    // No Russian title configured for business: the default title stands.
    expect(html).toContain('>Business</h3>');
    expect(html).not.toContain('lang="en"');
    const message = personalize(rendered, { ...FIXTURE_TOKENS, name: 'Ада Лавлейс' });
    expect(message.html).toContain('Здравствуйте, Ада!');
    expectGolden('golden-ru.html', rendered.html);
    expectGolden('golden-ru.txt', rendered.text);
  });
});
