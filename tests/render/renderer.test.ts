import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import mjml2html from 'mjml';
import { createRenderer } from '../../src/render/create-renderer.ts';
import { personalize } from '../../src/render/personalize.ts';
import { isTidingsError } from '../../src/core/errors.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createRecordingLogger, defaultRenderer, FIXTURES_DIR, TEMPLATES_DIR } from './helpers.ts';

async function expectTemplateError(run: Promise<unknown>): Promise<Error & { code: string }> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isTidingsError(error), `expected a TidingsError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe('TEMPLATE_INVALID');
  return error as Error & { code: string };
}

describe('renderSegment', () => {
  it('matches the golden HTML and text for the fixture edition (UPDATE_GOLDEN=1 rewrites them)', async () => {
    const renderer = await defaultRenderer();
    const rendered = await renderer.renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    const goldens = { 'golden-en.html': rendered.html, 'golden-en.txt': rendered.text };
    for (const [name, actual] of Object.entries(goldens)) {
      const file = path.join(FIXTURES_DIR, name);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
      expect(fs.existsSync(file), `${name} missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    }
  });

  it('renders the parts of the design: header, date, intro, top story, sections, footer', async () => {
    const renderer = await defaultRenderer();
    const segment = buildFixtureSegment();
    const rendered = await renderer.renderSegment(segment, buildFixtureNewsletter());
    const { html } = rendered;
    expect(rendered.subject).toBe('The Morning Brief · Nov 28, 2026');
    expect(rendered.preheader).toBe('City council votes to keep the night buses running all winter');
    expect(rendered.droppedArticleIds).toEqual([]);
    expect(html).toMatch(/^<!doctype html><html lang="en"/);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('Saturday, November 28, 2026');
    expect(html).toContain(
      '<p class="body-copy" style="margin:0 0 12px;color:#3a3a3c">The council result came in late last night,<br>so the top story is fresh.</p>',
    );
    expect(html).toContain('Top story');
    expect(html).toContain('alt="City council votes to keep the night buses running all winter"');
    for (const section of segment.sections) {
      expect(html).toContain(`>${section.title}</h3>`);
      for (const article of section.articles) expect(html).toContain(`href="${article.url}"`);
    }
    // Publication time in the reader's zone: 05:10Z is 6:10 AM in Berlin.
    expect(html).toContain('Morning Ledger · 6:10 AM');
    expect(html).toContain('You receive this because you subscribed to The Morning Brief.');
    expect(html).toContain('12 Quay Street<br>1000 Harbor City');
    for (const token of ['first_name', 'email', 'unsubscribe_url', 'preferences_url', 'view_url'])
      expect(html).toContain(`%%{${token}}%%`);
    // The preheader is hidden text at the top of the body, in the body's text colour (no
    // white-on-page text for SpamAssassin's HTML_FONT_LOW_CONTRAST).
    expect(html).toMatch(/<div class="preheader" style="display:none[^"]*">City council votes/);
    expect(html).not.toMatch(/<div[^>]*display:none[^>]*color:/);
  });

  it('puts role="presentation" on every layout table and alt on every image', async () => {
    const { html } = await (await defaultRenderer()).renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    const tables = html.match(/<table\b[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) expect(table).toContain('role="presentation"');
    const images = html.match(/<img\b[^>]*>/g) ?? [];
    expect(images.length).toBe(1);
    for (const image of images) expect(image).toMatch(/alt="[^"]+"/);
  });

  it('produces MJML that passes strict validation and HTML under 100 KB for 15 articles', async () => {
    const renderer = await defaultRenderer();
    const rendered = await renderer.renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    const bytes = Buffer.byteLength(personalize(rendered, FIXTURE_TOKENS).html);
    expect(bytes).toBeLessThan(100 * 1024);
    // The renderer runs mjml strictly; check the same templates by hand once more on a broken input.
    await expect(
      mjml2html('<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>', {
        validationLevel: 'strict',
      }),
    ).rejects.toThrow(/mj-text/);
  });

  it('promotes the first article to top story when none is pinned, without showing it twice', async () => {
    const segment = { ...buildFixtureSegment(), topStory: null };
    const first = segment.sections[0]!.articles[0]!;
    const { html } = await (await defaultRenderer()).renderSegment(segment, buildFixtureNewsletter());
    expect(html.split(`href="${first.url}"`).length - 1).toBe(2); // title + "Read more" of the top story only
  });

  it('renders subject and preheader from the newsletter config, stripped of newlines and capped', async () => {
    const segment = buildFixtureSegment();
    segment.topStory = { ...segment.topStory!, title: `Line one\r\nBcc: evil@example.org ${'x'.repeat(300)}` };
    const rendered = await (await defaultRenderer()).renderSegment(
      segment,
      buildFixtureNewsletter({
        subject: '{{newsletter.title}}: {{topStory.title}}',
        preheader: '{{edition.articleCount}} stories · {{dateLong}}',
      }),
    );
    expect(rendered.subject).not.toMatch(/[\r\n]/);
    expect(rendered.subject.startsWith('The Morning Brief: Line one Bcc: evil@example.org xxx')).toBe(true);
    expect([...rendered.subject].length).toBeLessThanOrEqual(150);
    expect(rendered.preheader).toBe('16 stories · Saturday, November 28, 2026');
  });
});

describe('createRenderer', () => {
  const makeTempDir = useTempDir('tidings-templates-');
  it('lets an override folder replace a partial and a locale string, file by file', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'partials'));
    fs.mkdirSync(path.join(dir, 'locales'));
    fs.writeFileSync(
      path.join(dir, 'partials', 'article-card.mjml.hbs'),
      '<mj-text><p class="custom-card">{{title}} — {{source}}</p></mj-text>\n',
    );
    fs.writeFileSync(path.join(dir, 'locales', 'en.json'), JSON.stringify({ top_story: 'Lead story' }));
    const renderer = await createRenderer({
      templatesDir: TEMPLATES_DIR,
      overrideDir: dir,
      logger: createRecordingLogger().logger,
    });
    const { html } = await renderer.renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    expect(html).toContain(
      '<p class="custom-card">Harbor city retires its last paper parking meters — Coastal Herald</p>',
    );
    expect(html).toContain('Lead story');
    expect(html).toContain('Manage preferences'); // other keys still come from the default en.json
  });

  it('fails at start on a Handlebars syntax error, naming the file and line', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'partials'));
    fs.writeFileSync(
      path.join(dir, 'partials', 'footer.mjml.hbs'),
      '<mj-section>\n<mj-column>\n{{#if newsletter.title}}\n</mj-column>\n</mj-section>\n',
    );
    const error = await expectTemplateError(
      createRenderer({ templatesDir: TEMPLATES_DIR, overrideDir: dir, logger: createRecordingLogger().logger }),
    );
    expect(error.message).toContain(`${path.join(dir, 'partials', 'footer.mjml.hbs')}:`);
    expect(error.message).toMatch(/footer\.mjml\.hbs:\d+/);
  });

  it('fails at start on MJML that strict validation rejects, naming the partial and line', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'partials'));
    // mj-text directly in mj-section is invalid MJML (it needs an mj-column).
    fs.writeFileSync(
      path.join(dir, 'partials', 'intro.mjml.hbs'),
      '{{!-- intro --}}\n<mj-section mj-class="sheet">\n  <mj-text>{{intro}}</mj-text>\n</mj-section>\n',
    );
    const error = await expectTemplateError(
      createRenderer({ templatesDir: TEMPLATES_DIR, overrideDir: dir, logger: createRecordingLogger().logger }),
    );
    expect(error.message).toContain(`${path.join(dir, 'partials', 'intro.mjml.hbs')}:3`);
    expect(error.message).toContain('mj-text cannot be used inside mj-section');
  });

  it('fails at start on a missing partial and on a broken locale file', async () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, 'digest.mjml.hbs'), '<mjml><mj-body>{{> nowhere}}</mj-body></mjml>\n');
    const missing = await expectTemplateError(
      createRenderer({ templatesDir: TEMPLATES_DIR, overrideDir: dir, logger: createRecordingLogger().logger }),
    );
    expect(missing.message).toContain(`${path.join(dir, 'digest.mjml.hbs')}:1: unknown partial "nowhere"`);

    const localeDir = makeTempDir();
    fs.mkdirSync(path.join(localeDir, 'locales'));
    fs.writeFileSync(path.join(localeDir, 'locales', 'ru.json'), '{ "top_story": ');
    const broken = await expectTemplateError(
      createRenderer({ templatesDir: TEMPLATES_DIR, overrideDir: localeDir, logger: createRecordingLogger().logger }),
    );
    expect(broken.message).toContain('ru.json');
  });

  it('renders the newsletter template by name (newsletters[].template), sharing partials and locales', async () => {
    const dir = makeTempDir();
    const digest = fs.readFileSync(path.join(TEMPLATES_DIR, 'digest.mjml.hbs'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'weekly.mjml.hbs'),
      digest.replace(
        '{{> header}}',
        '{{> header}}<mj-section><mj-column><mj-text>Weekly edition</mj-text></mj-column></mj-section>',
      ),
    );
    fs.writeFileSync(
      path.join(dir, 'weekly.txt.hbs'),
      'WEEKLY {{newsletter.title}}\n{{t "unsubscribe"}}: %%{unsubscribe_url}%%\n',
    );
    const logger = createRecordingLogger().logger;
    const renderer = await createRenderer({
      templatesDir: TEMPLATES_DIR,
      overrideDir: dir,
      template: 'weekly',
      logger,
    });
    const rendered = await renderer.renderSegment(
      buildFixtureSegment(),
      buildFixtureNewsletter({ template: 'weekly' }),
    );
    expect(rendered.html).toContain('Weekly edition');
    expect(rendered.html).toContain('Top story');
    expect(rendered.text).toBe('WEEKLY The Morning Brief\nUnsubscribe: %%{unsubscribe_url}%%\n');
    const missing = await expectTemplateError(
      createRenderer({ templatesDir: TEMPLATES_DIR, template: 'monthly', logger }),
    );
    expect(missing.message).toContain('missing template monthly.mjml.hbs');
  });
});
