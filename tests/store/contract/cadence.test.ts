import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { openPgPorts, openSqlitePorts } from './backends.ts';
import { cadenceContract } from './cadence.contract.ts';

cadenceContract('SQLite', openSqlitePorts);
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => cadenceContract('PostgreSQL', openPgPorts));
