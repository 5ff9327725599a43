import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { auditLogContract } from './audit.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => auditLogContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  auditLogContract('PostgreSQL', postgresStores()),
);
