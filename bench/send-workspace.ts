/**
 * A Tidings folder for the send benchmark, seeded through the real code: a
 * tidings.config.yaml, 15 articles saved with ArticleStore.saveArticles and a generated
 * subscriber CSV synced with syncSubscribers. The list is built so that exactly 50
 * segments arise: 10 (locale, time zone) pairs × 5 category subsets.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { articleIdFor, contentHashFor } from '../src/ingest/normalize-article.ts';
import type { ArticleRecord } from '../src/core/stored-article.ts';
import { openStore } from '../src/store/open-store.ts';
import { catalogFromConfig } from '../src/subscribers/subscriber-row.ts';
import { syncSubscribers } from '../src/subscribers/sync-subscribers.ts';

export const NEWSLETTER = 'daily';
export const BENCH_SECRET = 'bench-secret-0123456789abcdef';
export const POOL = { maxConnections: 5, maxMessages: 100 } as const;

const CATEGORIES = ['world', 'technology', 'science', 'business', 'health'] as const;
/** Ten distinct (locale, time zone) pairs: each one renders dates and labels its own way. */
const READER_ZONES = [
  ['en', 'Europe/London'],
  ['en', 'America/New_York'],
  ['en', 'America/Los_Angeles'],
  ['en', 'Australia/Sydney'],
  ['en', 'Asia/Tokyo'],
  ['de', 'Europe/Berlin'],
  ['de', 'Europe/Vienna'],
  ['de', 'Europe/Zurich'],
  ['ru', 'Europe/Moscow'],
  ['ru', 'Asia/Yekaterinburg'],
] as const;
/** Five category subsets, each with at least minArticles (3) articles and a distinct article list. */
const SUBSETS = [
  ['world', 'technology', 'science', 'business', 'health'],
  ['world', 'technology', 'science', 'business'],
  ['world', 'science'],
  ['technology', 'business', 'health'],
  ['health'],
] as const;
export const EXPECTED_SEGMENTS = READER_ZONES.length * SUBSETS.length;

const STORIES: Record<(typeof CATEGORIES)[number], [string, string][]> = {
  world: [
    [
      'Coastal nations sign a pact to share storm warnings',
      'Eleven coastal nations agreed on Tuesday to pool radar and buoy data so that warnings of severe storms reach fishing towns hours earlier than today. The pact sets up a shared alert centre, funds new sensors on remote islands and commits each member to translate warnings into local languages within thirty minutes.',
    ],
    [
      'Border towns reopen a bridge closed for a decade',
      'A road bridge between two mountain towns reopened after ten years of disputes over who should pay for repairs. Traders on both sides expect the crossing to cut delivery times for fruit and timber by half, while local officials hope the shared customs post will ease tensions that shut it.',
    ],
    [
      'Election observers report calm voting but long queues',
      'International observers said voting in the parliamentary election was calm and orderly, although queues of up to four hours formed in several large cities. The mission praised the new electronic rolls but asked the commission to add polling stations before the run-off, expected in three weeks, to spare voters.',
    ],
  ],
  technology: [
    [
      'Open-source browser engine passes a major test suite',
      'Volunteers behind a small open-source browser engine announced that it now passes more than ninety percent of the shared web platform tests. The milestone means most everyday sites render correctly, the team said, and it invites companies building kiosks and car dashboards to try the engine instead of larger alternatives.',
    ],
    [
      'Chipmaker delays its low-power laptop processor',
      'A chipmaker pushed the launch of its low-power laptop processor to the spring, citing yields at a new factory that fell short of plan. Laptop makers had designed thin models around the part and now face a choice between waiting and shipping the previous generation for the holiday season, analysts said.',
    ],
    [
      'City replaces paper parking permits with an app',
      'Residents will apply for parking permits through a city app from next month, ending a paper system that produced weeks of backlog every autumn. Officials promised a phone line and library kiosks for people without smartphones, and said that data collected by the app will be deleted after each permit expires.',
    ],
  ],
  science: [
    [
      'Telescope spots water vapour around a distant planet',
      'Astronomers using a space telescope detected water vapour in the atmosphere of a planet twice the size of Earth orbiting a quiet red dwarf. The finding does not mean the planet is habitable, the team cautioned, but it makes the world a prime target for follow-up observations planned over the next two years.',
    ],
    [
      'Bees learn to count to four in a laboratory maze',
      'Researchers trained honeybees to pick the fourth of several identical landmarks in a maze to find sugar water, suggesting the insects can keep track of small numbers. The bees kept their skill when the spacing of the landmarks changed, which rules out simple distance cues, according to the study published this week.',
    ],
    [
      'Deep drilling project reaches ancient ocean crust',
      'A drilling ship brought up rock from more than a kilometre below the seafloor, reaching crust that formed about one hundred million years ago. Geologists hope the cores will show how seawater seeps through the rock and changes it over time, a process that affects the chemistry of the oceans.',
    ],
  ],
  business: [
    [
      'Regional airline orders twenty electric commuter planes',
      'A regional airline placed an order for twenty small electric planes to serve routes shorter than two hundred kilometres between island airports. Deliveries are due from the end of next year, subject to certification, and the airline said lower fuel and maintenance costs could make several unprofitable routes viable again within a few years.',
    ],
    [
      'Grocery chain raises wages as hiring gets harder',
      'One of the country\u2019s largest grocery chains will raise starting wages by eight percent from January, its second increase this year, as it struggles to fill night shifts in warehouses. The company said higher pay costs would be offset by lower staff turnover and fewer temporary workers, rather than by prices.',
    ],
    [
      'Startup turns brewery waste into protein flour',
      'A startup that dries spent grain from breweries into protein-rich flour raised fresh funding to build its first full-scale plant next to a large brewery. Bakers testing the flour say it adds a nutty taste to bread, and the company plans to sell it to pasta makers and snack producers next.',
    ],
  ],
  health: [
    [
      'Hospitals trial shorter waits with an evening clinic',
      'Three hospitals opened evening clinics for minor injuries to take pressure off their emergency departments during the busiest hours. Early figures show median waits fell from four hours to under two, and nurses say patients with sprains and small cuts now rarely share waiting rooms with the seriously ill at night.',
    ],
    [
      'Study links daily walks to better sleep in older adults',
      'Older adults who walked for at least thirty minutes a day fell asleep faster and woke less often at night, according to a study that followed two thousand volunteers for a year. The authors note that the walkers were also healthier to begin with and call for a trial to test the effect directly.',
    ],
    [
      'New guidance on screen time for toddlers',
      'A national panel of paediatricians published new guidance that recommends no more than one hour of screen time a day for children between two and five years old. The panel stresses shared viewing and talking about what children see, and it advises parents to keep screens out of bedrooms and away from meals.',
    ],
  ],
};

/** 15 articles (3 per category) published in the hours before the slot, each with an image. */
export function buildArticles(slot: Date): ArticleRecord[] {
  return CATEGORIES.flatMap((category, c) =>
    STORIES[category].map(([title, summary], i): ArticleRecord => {
      const url = `https://wire.example.org/${category}/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const text = `${summary}\n\nThe full report continues with background, reactions and figures from the agencies involved.`;
      return {
        id: articleIdFor(url, 'wire', title),
        url,
        title,
        text,
        summary,
        publishedAt: new Date(slot.getTime() - (2 + c * 3 + i) * 3_600_000).toISOString(),
        categories: [category],
        source: 'wire',
        sourceTitle: 'Wire',
        author: i === 1 ? null : `Staff reporter ${c + 1}`,
        imageUrl: `https://img.example.org/${category}/${i + 1}.jpg`,
        language: 'en',
        description: null,
        contentHash: contentHashFor(title, text),
        categoryOrigin: 'source',
      };
    }),
  );
}

function configYaml(storeUrl: string | null): string {
  const categories = CATEGORIES.map((slug) => `  ${slug}: { title: ${slug[0]!.toUpperCase()}${slug.slice(1)} }`).join(
    '\n',
  );
  // With a PostgreSQL URL the store is that database; the data folder keeps the secret and the journal.
  const store = storeUrl ? `store: { path: data/tidings.db, url: "${storeUrl}" }` : 'store: { path: data/tidings.db }';
  return `${store}
categories:
${categories}
newsletters:
  - id: ${NEWSLETTER}
    title: Morning Brief
    description: The day's news in five sections.
    categories: [${CATEGORIES.join(', ')}]
    window: 24h
    maxArticles: 15
    perCategory: 3
    from: "Morning Brief <news@brief.example.org>"
    replyTo: "Brief editors <editors@brief.example.org>"
    timezone: UTC
    # The list has readers in several locales and the articles are English: everyone gets every language.
    languages: any
    postalAddress: 1 Example Street, Example City
subscribers: { paths: [subscribers] }
transport: { type: smtp, url: "\${SMTP_URL}", maxConnections: ${POOL.maxConnections}, maxMessages: ${POOL.maxMessages}, rateLimit: 100000 }
web:
  baseUrl: https://brief.example.org
  secret: "\${TIDINGS_SECRET}"
  unsubscribeMailto: unsubscribe@brief.example.org
`;
}

const FIRST_NAMES = ['Ann', 'Zoë', 'Jürgen', 'Олег', 'María', 'Kenji', 'Chloé', 'Sam', "O'Brien", 'Ingrid'];

async function writeSubscriberCsv(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name,newsletters,categories,locale,timezone,status\n');
  for (let i = 0; i < count; i++) {
    const [locale, zone] = READER_ZONES[i % READER_ZONES.length]!;
    const subset = SUBSETS[Math.floor(i / READER_ZONES.length) % SUBSETS.length]!;
    const line = `reader${i}@example.org,"${FIRST_NAMES[i % FIRST_NAMES.length]} ${i}",${NEWSLETTER},${subset.join('|')},${locale},${zone},active\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export interface SendWorkspace {
  dir: string;
  configFile: string;
  /** The slot to pass as `--at`. */
  at: string;
}

/**
 * Writes the folder and seeds its store; `slot` should be recent (the late-run rule).
 * With `storeUrl` (an empty, migrated-on-open PostgreSQL database) the store is that database.
 */
export async function createSendWorkspace(
  dir: string,
  subscribers: number,
  slot: Date,
  storeUrl: string | null = null,
): Promise<SendWorkspace> {
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(configFile, configYaml(storeUrl));
  await writeSubscriberCsv(path.join(dir, 'subscribers', 'readers.csv'), subscribers);

  const env = { SMTP_URL: 'smtp://127.0.0.1:25', TIDINGS_SECRET: BENCH_SECRET };
  const { config, baseDir } = loadConfig(configFile, env);
  const store = await openStore(config.store, (relative) => path.resolve(baseDir, relative));
  try {
    await store.articles.saveArticles(buildArticles(slot), new Date(slot.getTime() - 3_600_000));
    const report = await syncSubscribers(
      store.subscribers,
      config.subscribers.paths.map((p) => path.resolve(baseDir, p)),
      catalogFromConfig(config),
      { now: slot },
    );
    if (!report.applied || report.added !== subscribers) {
      throw new Error(
        `subscriber sync: applied ${report.applied}, added ${report.added} of ${subscribers}: ${report.errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
      );
    }
  } finally {
    await store.close();
  }
  return { dir, configFile, at: slot.toISOString() };
}
