import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { signalContract } from './signal.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => signalContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => signalContract('PostgreSQL', postgresStores()));
