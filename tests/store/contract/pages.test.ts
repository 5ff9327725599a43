import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { pageCacheContract } from './pages.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => pageCacheContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  pageCacheContract('PostgreSQL', postgresStores()),
);
