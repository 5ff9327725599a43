import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { parsePageDump } from '../../src/ingest/page/parse-page-dump.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'pages');
const parse = (name: string) =>
  parsePageDump(readFileSync(join(fixtures, name), 'utf8'), { fileName: `pages/${name}` });
const paragraphsOf = (text: string) => text.split('\n\n');

describe('parsePageDump', () => {
  it('reads a Title | Section | Site line, a byline, a date line and tags', () => {
    const draft = parse('dump-bylined.txt');
    expect(draft.title).toBe('Harbour city switches on floating solar farm');
    expect(draft.siteName).toBe('Coastline Herald');
    expect(draft.author).toBe('Maria Olsen');
    expect(draft.publishedAt).toBe('2024-03-14T09:15:00.000Z');
    expect(draft.labels).toEqual(['Energy', 'solar', 'Port Avelin']);
    expect(draft.language).toBe('en');
  });

  it('keeps only the story: no repeated titles, buttons, teasers or copyright', () => {
    const paragraphs = paragraphsOf(parse('dump-bylined.txt').text);
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]).toMatch(/^The city of Port Avelin has connected/);
    expect(paragraphs[2]).toBe('How it works'); // a subheading stays its own paragraph
    expect(paragraphs[3]).toMatch(/^The panels sit on plastic floats/);
    expect(paragraphs.at(-1)).toMatch(/^Critics say the project cost more/);
    const text = paragraphs.join('\n');
    for (const chrome of ['Share', 'Read more', 'Tags:', 'Comments', 'Print', '©', 'By Maria'])
      expect(text).not.toContain(chrome);
  });

  it('drops stray English lines from a Russian story, by script and by phrase', () => {
    const draft = parse('dump-russian.txt');
    expect(draft.title).toBe('Городской парк откроют после реконструкции');
    expect(draft.siteName).toBe('Вестник Приречья');
    expect(draft.publishedAt).toBe('2024-03-12T14:05:00.000Z');
    expect(draft.language).toBe('ru');
    const paragraphs = paragraphsOf(draft.text);
    expect(paragraphs).toContain('Что изменилось');
    expect(paragraphs.at(-1)).toMatch(/^Жители просили сохранить старые липы/);
    expect(draft.text).not.toMatch(/Powered by|Report a typo|Поделиться|Читайте также|Оцените/);
  });

  it('takes the first line as the title when there is no site line', () => {
    const draft = parse('dump-no-site.txt');
    expect(draft.title).toBe('Library extends opening hours for exam season');
    expect(draft.siteName).toBeNull();
    expect(draft.publishedAt).toBe('2023-05-02T08:30:00.000Z');
    expect(paragraphsOf(draft.text)).toHaveLength(2);
    expect(draft.text).not.toMatch(/Print|Subscribe/);
  });

  it('joins hard-wrapped lines but never glues a subheading to them', () => {
    const draft = parse('dump-wrapped.txt');
    expect(draft.siteName).toBe('Rail Weekly');
    expect(paragraphsOf(draft.text)).toEqual([
      expect.stringMatching(
        /^Passenger services .* run overnight again from June, the rail operator said, .* three years ago\.$/,
      ),
      'Sleeper cars',
      expect.stringMatching(/^The operator has bought six refurbished sleeper cars .* tickets go on sale in April\.$/),
    ]);
  });

  it('reads a German dump with dashes, a "von" byline and single-line paragraphs', () => {
    const draft = parse('dump-german.txt');
    expect(draft.title).toBe('Stadtrat beschließt neues Radwegenetz');
    expect(draft.siteName).toBe('Stadtbote Emmerfeld');
    expect(draft.author).toBe('Jonas Keller');
    expect(draft.publishedAt).toBe('2024-04-05T17:40:00.000Z');
    expect(paragraphsOf(draft.text)).toHaveLength(2);
    expect(draft.text).not.toMatch(/Teilen|Kommentare|bewerten|Weiterlesen/);
  });

  it('drops short lines in another script even when no phrase list knows them', () => {
    const story =
      'The harbour authority said the new crane would double the number of containers the port can handle each day.';
    const draft = parsePageDump(
      `Port buys new crane\n\n${story}\n\n${story}\n\nМы используем файлы для аналитики\n\nΔιαβάστε επίσης`,
      {
        fileName: 'x.txt',
      },
    );
    expect(paragraphsOf(draft.text)).toEqual([story, story]);
  });

  it('keeps a foreign-script line in the middle of the story (a quotation)', () => {
    const story =
      'The festival opened with a choir from Kyiv, whose first song drew a standing ovation from the audience.';
    const draft = parsePageDump(`Choir opens festival\n\n${story}\n\n«Щедрик»\n\n${story}`, { fileName: 'x.txt' });
    expect(paragraphsOf(draft.text)).toContain('«Щедрик»');
  });

  it('falls back to the file name when every line is a long paragraph', () => {
    const long =
      'A paragraph that is far too long to be a headline, because it goes on and on about the weather. '.repeat(3);
    expect(parsePageDump(long, { fileName: 'dumps/2024-01-02-storm-warning.txt' }).title).toBe('storm warning');
  });

  it('rejects an empty dump, naming the file', () => {
    expect(() => parsePageDump(' \n\n \n', { fileName: 'dumps/empty.txt' })).toThrow(SourceError);
    expect(() => parsePageDump('', { fileName: 'dumps/empty.txt' })).toThrow(/dumps\/empty\.txt/);
  });

  // The seed page is read where it lies (never copied into the project); skipped when absent.
  const seed = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'seeds', '000_567bf530aae82c81.txt');
  it.skipIf(!existsSync(seed))('cleans the seed page dump', () => {
    const draft = parsePageDump(readFileSync(seed, 'utf8'), { fileName: seed });
    expect(draft.title).toBe('Russia invites US to discuss rules in cyberspace');
    expect(draft.siteName).toBe('News agency Inforos');
    const paragraphs = paragraphsOf(draft.text);
    expect(paragraphs).toContain('Cyberspace regulations');
    expect(paragraphs[0]).toMatch(/^Russia is interested in forging bilateral agreements/);
    expect(paragraphs.at(-1)).toMatch(/Putin added\.$/);
    expect(draft.text).not.toMatch(/Rate it|Add comment|\p{Script=Cyrillic}/u);
    expect(draft.text).not.toContain(draft.title);
  });
});
