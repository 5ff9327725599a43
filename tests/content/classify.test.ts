import { describe, expect, it } from 'vitest';
import { trainClassifier } from '../../src/content/category-model.ts';
import { categorize, classifyWithRules } from '../../src/content/categorize.ts';
import { HELD_OUT, TRAINING } from '../fixtures/content/labelled-articles.ts';

const examples = TRAINING.map((a) => ({ title: a.title, text: a.text, categories: [a.category] }));

describe('trainClassifier', () => {
  const model = trainClassifier(examples);

  it('ranks the right category first for every held-out article', () => {
    for (const article of HELD_OUT) expect(model.scores(article)[0]?.category, article.title).toBe(article.category);
  });

  it('classifies most held-out articles confidently and never wrongly', () => {
    const results = HELD_OUT.map((article) => ({ article, result: model.classify(article) }));
    const confident = results.filter((r) => r.result !== null);
    expect(confident.length / HELD_OUT.length).toBeGreaterThanOrEqual(0.8);
    for (const { article, result } of confident) expect(result!.category).toBe(article.category);
  });

  it('reports a confidence between minConfidence and 1 for a clear article', () => {
    const result = model.classify({
      title: 'Goalkeeper saves penalty in cup final',
      text: 'The goalkeeper saved a penalty as the team won the cup final in front of fans at the stadium.',
    });
    expect(result?.category).toBe('sport');
    expect(result!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(result!.confidence).toBeLessThanOrEqual(1);
  });

  it('returns null below minConfidence instead of forcing a category', () => {
    const offTopic = {
      title: 'How to bake sourdough at home',
      text: 'Mix flour, water and salt with a starter, leave the dough overnight, fold it gently and bake it in a hot pot until the crust is dark.',
    };
    expect(model.classify(offTopic)).toBeNull();
    // The same article is forced into some category only when the threshold is zero.
    expect(model.classify(offTopic, 0)).not.toBeNull();
  });

  it('does not force an article with no known word into one of two categories', () => {
    const two = trainClassifier(
      examples.filter(
        (e) =>
          e.categories[0] === 'sport' ||
          e.categories[0] === examples.find((x) => x.categories[0] !== 'sport')!.categories[0],
      ),
    );
    expect(two.categories).toHaveLength(2);
    // Invented words only: the scores are the priors, a 50/50 tie that would pass 0.5.
    const unknown = { title: 'Zorbl quimbers', text: 'Flarnish vexilloids quimbered the zorbl on Blenday.' };
    expect(two.classify(unknown)).toBeNull();
    expect(two.classify(unknown, 0)).toBeNull();
  });

  it('does not predict a category with fewer than minExamples examples', () => {
    const withRare = trainClassifier([
      ...examples,
      {
        title: 'Comet visible tonight',
        text: 'Astronomers say the comet will be visible from the northern hemisphere tonight with binoculars.',
        categories: ['space'],
      },
      {
        title: 'Telescope finds comet',
        text: 'A telescope spotted a new comet beyond the orbit of Mars, astronomers said.',
        categories: ['space'],
      },
    ]);
    expect(withRare.categories).not.toContain('space');
    const comet = {
      title: 'Comet seen by astronomers',
      text: 'Astronomers watched the comet through a telescope, and the comet will be visible again next year.',
    };
    expect(withRare.classify(comet, 0)?.category).not.toBe('space');
    const lowered = trainClassifier(
      [
        ...examples,
        {
          title: 'Comet visible tonight',
          text: 'Astronomers say the comet will be visible tonight.',
          categories: ['space'],
        },
        {
          title: 'Telescope finds comet',
          text: 'A telescope spotted a new comet, astronomers said.',
          categories: ['space'],
        },
      ],
      { minExamples: 2 },
    );
    expect(lowered.categories).toContain('space');
    expect(lowered.classify(comet)?.category).toBe('space');
  });

  it('learns incrementally with add()', () => {
    const incremental = trainClassifier([]);
    expect(incremental.classify(HELD_OUT[0]!)).toBeNull();
    for (const example of examples) incremental.add(example);
    expect(incremental.exampleCount).toBe(examples.length);
    expect(incremental.scores(HELD_OUT[0]!)).toEqual(model.scores(HELD_OUT[0]!));
  });

  it('trains on a few thousand articles quickly', () => {
    const many = Array.from({ length: 3000 }, (_, i) => examples[i % examples.length]!);
    const started = performance.now();
    trainClassifier(many);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('keyword rules', () => {
  const rules = { security: ['ransomware', 'data breach', 'malware'], climate: ['climate', 'émissions'] };

  it('match whole words, case- and accent-insensitively, phrases included', () => {
    expect(
      classifyWithRules({ title: 'RANSOMWARE hits council', text: 'A Data Breach exposed records.' }, rules)?.category,
    ).toBe('security');
    expect(classifyWithRules({ title: 'Emissions fall', text: 'Climate targets met.' }, rules)?.category).toBe(
      'climate',
    );
    expect(classifyWithRules({ title: 'Anti-malwares', text: 'Climatology lecture.' }, rules)).toBeNull();
  });

  it('pick the category with the most hits', () => {
    const article = { title: 'Climate protest', text: 'Malware found. Climate, climate and emissions again.' };
    expect(classifyWithRules(article, rules)?.category).toBe('climate');
  });

  it('take precedence over the model', () => {
    const model = trainClassifier(examples);
    const sporty = {
      title: 'Cup final ticket site hit by ransomware',
      text: 'The club said fans could not buy tickets for the cup final at the stadium after the team website was attacked.',
    };
    expect(model.classify(sporty)?.category).toBe('sport');
    expect(categorize(sporty, { model, rules, minConfidence: 0.5 })).toMatchObject({
      category: 'security',
      method: 'rule',
    });
    expect(categorize(sporty, { model, rules: {}, minConfidence: 0.5 })).toMatchObject({
      category: 'sport',
      method: 'model',
    });
  });

  it('leave an article uncategorized when neither rules nor a confident model apply', () => {
    const model = trainClassifier(examples);
    const offTopic = {
      title: 'Garden birds in winter',
      text: 'Feed the robins and sparrows with seeds and keep the water bowl free of ice.',
    };
    expect(categorize(offTopic, { model, rules, minConfidence: 0.5 })).toBeNull();
    expect(categorize(offTopic, { model: null, rules })).toBeNull();
  });
});
