import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { openPgPorts, openSqlitePorts } from './backends.ts';
import { schedulerStoreContract } from './scheduler-store.contract.ts';

schedulerStoreContract('SQLite', openSqlitePorts);
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  schedulerStoreContract('PostgreSQL', openPgPorts),
);
