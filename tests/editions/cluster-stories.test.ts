import { describe, expect, it } from 'vitest';
import { clusterStories, type StoryCandidate } from '../../src/editions/cluster-stories.ts';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/config/content-schema.ts';

const ferryLead =
  'Ferry operators cancelled every crossing between Port Alder and the outer islands on Friday morning as a winter storm ' +
  'brought gusts of up to 110 kilometres an hour to the coast. The harbour authority said the decision would be reviewed at noon.';

const story = (id: string, source: string, title: string, text: string): StoryCandidate => ({
  id,
  source,
  title,
  text,
});
const options = { threshold: 0.5, leadWords: 80 };

describe('clusterStories', () => {
  it('joins the same wire story under different headlines from different sources', () => {
    const groups = clusterStories(
      [
        story('a', 'courier', 'Storm forces ferry cancellations across the bay', ferryLead),
        story(
          'b',
          'island',
          'Winter gale halts all island crossings',
          `${ferryLead} Forecasters expect calmer weather on Saturday.`,
        ),
        story(
          'c',
          'courier',
          'Council approves new budget for harbour repairs',
          'The town council voted nine to four on Thursday evening to spend 3.2 million on the north quay, whose wooden piles were found rotten.',
        ),
      ],
      options,
    );
    expect(groups).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps two different stories with near-identical headlines apart', () => {
    const groups = clusterStories(
      [
        story(
          'harbour',
          'courier',
          'Council approves new budget for harbour repairs',
          'The town council voted nine to four on Thursday evening to spend 3.2 million on the north quay, whose wooden piles were found rotten in a summer survey.',
        ),
        story(
          'school',
          'island',
          'Council approves new budget for school repairs',
          'Island councillors agreed on Thursday to replace the leaking roof of the primary school in Westhaven before the spring term, after parents collected signatures.',
        ),
      ],
      options,
    );
    expect(groups).toEqual([['harbour'], ['school']]);
  });

  it('joins transitively and keeps input order inside a story', () => {
    const groups = clusterStories(
      [
        story('x', 'one', 'Ferries stop', ferryLead),
        story('y', 'two', 'Crossings halted', ferryLead),
        story('z', 'three', 'Islands cut off by storm', ferryLead),
      ],
      options,
    );
    expect(groups).toEqual([['x', 'y', 'z']]);
  });

  it('never joins two articles of one source, nor articles with too little text to compare', () => {
    expect(
      clusterStories(
        [story('a', 'courier', 'Ferries stop', ferryLead), story('b', 'courier', 'Ferries stopped', ferryLead)],
        options,
      ),
    ).toEqual([['a'], ['b']]);
    expect(
      clusterStories(
        [story('a', 'one', 'Storm news', 'Ferries stop.'), story('b', 'two', 'Storm news', 'Ferries stop.')],
        options,
      ),
    ).toEqual([['a'], ['b']]);
  });

  it('takes the threshold literally: a lead half rewritten (J ≈ 0.29) joins at 0.2, not at 0.5', () => {
    const rewritten =
      'Ferry operators cancelled every crossing between Port Alder and the outer islands on Friday morning, and the harbour ' +
      'office told travellers to check the website before leaving home because gales were expected to last into the weekend.';
    const pair = [
      story('a', 'one', 'Ferries stop in storm', ferryLead),
      story('b', 'two', 'Ferries stop in storm', rewritten),
    ];
    expect(clusterStories(pair, { threshold: 0.2, leadWords: 80 })).toEqual([['a', 'b']]);
    expect(clusterStories(pair, { threshold: 0.5, leadWords: 80 })).toEqual([['a'], ['b']]);
  });

  it('joins, at the default threshold, a wire copy another outlet copy-edited (a word in eight changed), which 0.5 would miss', () => {
    const lead =
      'Ferry operators cancelled every crossing between Port Alder and the outer islands on Friday morning as a winter storm ' +
      'brought gusts of up to 110 kilometres an hour to the coast. The harbour authority said the decision would be reviewed at noon, ' +
      'and that stranded passengers could stay in the terminal overnight. Two fishing boats returned early after their crews reported waves of six metres near the northern reef.';
    const copyEdited =
      'Ferry operators cancelled all crossings between Port Alder and the outer islands on Friday morning as a severe storm ' +
      'brought gusts of up to 110 km an hour to the coast. The port authority said the decision would be reviewed by noon, ' +
      'and that stranded travellers could stay in the terminal overnight. Two trawlers returned early after their crews reported waves of six metres near the north reef.';
    const pair = [
      story('a', 'one', 'Storm forces ferry cancellations across the bay', lead),
      story('b', 'two', 'Island crossings halted as gale hits', copyEdited),
    ];
    expect(DEFAULT_CLUSTER_OPTIONS.threshold).toBe(0.4);
    expect(clusterStories(pair)).toEqual([['a', 'b']]);
    expect(clusterStories(pair, { threshold: 0.5, leadWords: 80 })).toEqual([['a'], ['b']]);
  });
});
