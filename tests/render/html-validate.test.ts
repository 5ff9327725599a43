import { describe, expect, it } from 'vitest';
import { HtmlValidate, type ConfigData } from 'html-validate';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { planMultilingualSegment } from '../fixtures/render/fixture-languages.ts';
import { createRenderer } from '../../src/render/create-renderer.ts';
import { createRecordingLogger, defaultRenderer, TEMPLATES_DIR } from './helpers.ts';

/**
 * html-validate's recommended rules, less the ones that contradict how HTML email has to
 * be written (also listed in docs/templates.md):
 * - no-inline-style: clients drop <style> more often than inline styles; light colours are inline on purpose.
 * - no-conditional-comment: `<!--[if mso]>` is how Outlook's Word engine gets its fixed-width tables.
 * - no-deprecated-attr: align, bgcolor, cellpadding, border, width on tables: Outlook reads those, not CSS.
 * - prefer-native-element: MJML's wrapper is `<div role="article" aria-roledescription="email">`,
 *   the accessible-email convention; clients rewrite or drop <article>.
 * - doctype-style: MJML writes `<!doctype html>`; case does not matter to any parser.
 * Everything else stays on, among them attribute-allowed-values (which rejects `height="auto"`).
 */
const EMAIL_RULES: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'off',
    'no-conditional-comment': 'off',
    'no-deprecated-attr': 'off',
    'prefer-native-element': 'off',
    'doctype-style': 'off',
  },
};

const validator = new HtmlValidate(EMAIL_RULES);

async function problems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message} (${m.selector ?? ''})`),
  );
}

describe('html-validate on the rendered email (rules fit for email)', () => {
  it('passes for the fixture edition, personalized', async () => {
    const rendered = await (await defaultRenderer()).renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    expect(await problems(personalize(rendered, FIXTURE_TOKENS).html)).toEqual([]);
  });

  it('passes for every part at once: lang on articles, a title without a link, a shortened edition', async () => {
    const renderer = await defaultRenderer();
    const multilingual = await renderer.renderSegment(
      planMultilingualSegment('en', 'any'),
      buildFixtureNewsletter({ languages: 'any' }),
    );
    expect(multilingual.html).toContain('lang="ru"');
    expect(await problems(multilingual.html)).toEqual([]);
    const small = await createRenderer({
      templatesDir: TEMPLATES_DIR,
      logger: createRecordingLogger().logger,
      sizeBudgetBytes: 40_000,
    });
    const long = await small.renderSegment(buildFixtureSegment({ perSection: 8 }), buildFixtureNewsletter());
    expect(long.droppedArticleIds.length).toBeGreaterThan(0);
    expect(await problems(long.html)).toEqual([]);
  });

  it('keeps height="auto" off the top image: the image has a real width and no height attribute', async () => {
    const { html } = await (await defaultRenderer()).renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    const images = html.match(/<img\b[^>]*>/g) ?? [];
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/ width="536"/);
    expect(images[0]).not.toMatch(/ height=/);
    // The rule set does catch it: the same email with the old attribute fails.
    const broken = html.replace('<img ', '<img height="auto" ');
    expect(await problems(broken)).toEqual([expect.stringContaining('attribute-allowed-values')]);
  });
});
