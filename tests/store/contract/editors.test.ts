import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { editorStoreContract } from './editors.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => editorStoreContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  editorStoreContract('PostgreSQL', postgresStores()),
);
