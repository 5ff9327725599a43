import { describe, expect, it } from 'vitest';
import {
  compressSentence,
  dropAside,
  dropDetail,
  dropFinalParticiple,
  dropOpeningConnective,
  dropRelativeClause,
  dropSpeechDay,
} from '../../src/content/compress-sentence.ts';

describe('dropAside', () => {
  it('removes a converted price and a short aside', () => {
    expect(dropAside('The bakery chain made £12m ($15m) last year.')).toBe('The bakery chain made £12m last year.');
    expect(dropAside('Ferry fares (for cars and vans) will rise in March.')).toBe('Ferry fares will rise in March.');
    expect(dropAside('Profit rose to £4m (€4.6m; $5m), the best in a decade.')).toBe(
      'Profit rose to £4m, the best in a decade.',
    );
  });

  it('keeps an acronym being defined, a long aside and one holding a quote', () => {
    const acronym = 'The Coastal Rowing Association (CRA) will host the final.';
    expect(dropAside(acronym)).toBe(acronym);
    const long =
      'The museum (which was closed for most of the last two winters while its roof was mended) reopens today.';
    expect(dropAside(long)).toBe(long);
    const quoted = 'The mayor (who called it "a great day") cut the ribbon.';
    expect(dropAside(quoted)).toBe(quoted);
  });
});

describe('dropOpeningConnective', () => {
  it('removes "However," "Meanwhile," and a bare "But" and capitalises the rest', () => {
    expect(dropOpeningConnective('However, the harbour will stay open all winter.')).toBe(
      'The harbour will stay open all winter.',
    );
    expect(dropOpeningConnective('Meanwhile, ticket sales doubled.')).toBe('Ticket sales doubled.');
    expect(dropOpeningConnective('But the council voted against the plan.')).toBe(
      'The council voted against the plan.',
    );
  });

  it('keeps a word spelt with an inner capital, and openings that are not connectives', () => {
    expect(dropOpeningConnective('However, iPads sold out within an hour.')).toBe(
      'However, iPads sold out within an hour.',
    );
    expect(dropOpeningConnective('But Ben Carr scored twice in the second half.')).toBe(
      'Ben Carr scored twice in the second half.',
    );
    expect(dropOpeningConnective('Butter prices rose by a third.')).toBe('Butter prices rose by a third.');
    expect(dropOpeningConnective('However hard they tried, the doors stayed shut.')).toBe(
      'However hard they tried, the doors stayed shut.',
    );
  });
});

describe('dropRelativeClause', () => {
  it('removes a who/which clause between commas when the main clause carries on', () => {
    expect(dropRelativeClause('The ferry company, which runs six boats, said fares would rise.')).toBe(
      'The ferry company said fares would rise.',
    );
    expect(dropRelativeClause('Ms Ortega, who joined the club in 2019, has signed a new deal.')).toBe(
      'Ms Ortega has signed a new deal.',
    );
  });

  it('removes a who/which/where clause that closes the sentence', () => {
    expect(dropRelativeClause('The bridge was closed by the storm, which also cut power to 300 homes.')).toBe(
      'The bridge was closed by the storm.',
    );
    expect(dropRelativeClause('The final will be played in Cardiff, where the club has never lost.')).toBe(
      'The final will be played in Cardiff.',
    );
  });

  it('reads a thousands comma as part of the clause, not its end', () => {
    expect(dropRelativeClause('The bakery, which sold 4,500 loaves last week, is hiring six bakers.')).toBe(
      'The bakery is hiring six bakers.',
    );
  });

  it('never cuts a list in half or leaves a clause without its verb', () => {
    const list = 'The fund, which has offices in Leeds, Paris and Oslo, will grow.';
    expect(dropRelativeClause(list)).toBe(list);
    const prepositional = 'The debt, which will grow for years, by most estimates, will pass £2bn.';
    expect(dropRelativeClause(prepositional)).toBe(prepositional);
  });

  it('keeps a restrictive clause (no comma before it)', () => {
    const restrictive = 'Shops which open on Sundays will pay a higher rate.';
    expect(dropRelativeClause(restrictive)).toBe(restrictive);
  });
});

describe('dropFinalParticiple', () => {
  it('removes a participle clause that closes the sentence', () => {
    expect(
      dropFinalParticiple('The bakery chain bought its largest rival, creating the biggest bakery group in Wales.'),
    ).toBe('The bakery chain bought its largest rival.');
  });

  it('keeps what was said, names after "including", lists, and attributions that look like clauses', () => {
    const saying = 'The airline issued a warning on Monday, saying profits would fall by a fifth.';
    expect(dropFinalParticiple(saying)).toBe(saying);
    const including = 'Four clubs made offers for the striker, including Leeds.';
    expect(dropFinalParticiple(including)).toBe(including);
    const list = 'Heavy rain, rising costs and a late harvest have cut the crop by half.';
    expect(dropFinalParticiple(list)).toBe(list);
    const attribution = 'Sea levels are rising faster than expected, leading climate scientists have said.';
    expect(dropFinalParticiple(attribution)).toBe(attribution);
    const short = 'As a result, bus fares will rise again in the spring.';
    expect(dropFinalParticiple(short)).toBe(short);
  });
});

describe('dropDetail', () => {
  it('removes an age between commas, a closing comparison and an opening setting', () => {
    expect(dropDetail('Ms Ortega, 31, has signed a new two-year deal.')).toBe(
      'Ms Ortega has signed a new two-year deal.',
    );
    expect(dropDetail('Ferry ticket sales rose to 2.1 million, up from 1.8 million in 2003.')).toBe(
      'Ferry ticket sales rose to 2.1 million.',
    );
    expect(dropDetail('Wales exported 40% of its lamb, compared with 35% a year earlier.')).toBe(
      'Wales exported 40% of its lamb.',
    );
    expect(dropDetail('Speaking at a meeting in Leeds, the mayor said fares would fall.')).toBe(
      'The mayor said fares would fall.',
    );
    expect(dropDetail('In a statement, the ferry company said fares would rise.')).toBe(
      'The ferry company said fares would rise.',
    );
  });

  it('keeps a comparison in the middle, "Speaking of…", and numbers that are not ages', () => {
    const middle = 'Sales rose to £4m, up from £3m, and profits doubled.';
    expect(dropDetail(middle)).toBe(middle);
    const speakingOf = 'Speaking of costs, the new pier will need a bigger budget.';
    expect(dropDetail(speakingOf)).toBe(speakingOf);
    const count = 'The club sold 3,000 season tickets, 500 more than last year.';
    expect(dropDetail(count)).toBe(count);
  });

  it('leaves the commas right when an age comes before a who clause', () => {
    expect(compressSentence('Mr Adams, 59, who founded the bakery in 1990, has retired after a long illness.')).toBe(
      'Mr Adams has retired after a long illness.',
    );
  });
});

describe('dropSpeechDay', () => {
  it('removes the weekday after a verb of saying', () => {
    expect(dropSpeechDay('The minister said on Tuesday that the road would reopen.')).toBe(
      'The minister said that the road would reopen.',
    );
    expect(dropSpeechDay('Ms Ortega told reporters in Leeds on Friday that she would stay.')).toBe(
      'Ms Ortega told reporters in Leeds that she would stay.',
    );
  });

  it('keeps the day something happens or will happen', () => {
    const future = 'The council will vote on Thursday on the new bus route.';
    expect(dropSpeechDay(future)).toBe(future);
    const opening = 'On Saturday, the club will play its first home game.';
    expect(dropSpeechDay(opening)).toBe(opening);
  });

  it('does not touch "said" inside a name', () => {
    const name = 'Port Said on Monday reopened its harbour to ferries.';
    expect(dropSpeechDay(name)).toBe(name);
  });
});

describe('compressSentence', () => {
  it('applies every rule at once', () => {
    expect(
      compressSentence(
        'However, the ferry company, which runs six boats, said on Monday that fares (for cars) would rise by 8%, ending a two-year freeze.',
      ),
    ).toBe('The ferry company said that fares would rise by 8%.');
  });

  it('leaves a sentence holding a quotation as it is: the speaker\u2019s words are the news', () => {
    const quote = 'The mayor, who opened the bridge, said "this changes everything for the town".';
    expect(compressSentence(quote)).toBe(quote);
    const bare = '"We will reopen the pier (at last) in May," the owner said.';
    expect(compressSentence(bare)).toBe(bare);
  });

  it('keeps attributions: without them a claim reads as a fact', () => {
    const claim = 'Fares will rise by 8% next year, the ferry company said.';
    expect(compressSentence(claim)).toBe(claim);
    const according = 'Fares will rise by 8% next year, according to the ferry company.';
    expect(compressSentence(according)).toBe(according);
  });

  it('returns the sentence itself when nothing applies or too little would be left', () => {
    const plain = 'The harbour will stay open all winter.';
    expect(compressSentence(plain)).toBe(plain);
    const tiny = 'But the pier reopened, delighting locals.';
    expect(compressSentence(tiny)).toBe(tiny);
  });
});
