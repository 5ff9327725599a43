import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { articleStoreContract } from './articles.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => articleStoreContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  articleStoreContract('PostgreSQL', postgresStores()),
);
