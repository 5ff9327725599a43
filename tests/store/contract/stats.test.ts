import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { storeStatsContract } from './stats.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => storeStatsContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  storeStatsContract('PostgreSQL', postgresStores()),
);
