import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { sourceStateContract } from './sources.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => sourceStateContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  sourceStateContract('PostgreSQL', postgresStores()),
);
