import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { sourceActivityContract } from './source-activity.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => sourceActivityContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  sourceActivityContract('PostgreSQL', postgresStores()),
);
