import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { editionStoreContract } from './editions.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => editionStoreContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  editionStoreContract('PostgreSQL', postgresStores()),
);
