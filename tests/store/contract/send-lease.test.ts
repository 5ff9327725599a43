import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { openPgPorts, openSqlitePorts } from './backends.ts';
import { sendLeaseContract } from './send-lease.contract.ts';

sendLeaseContract('SQLite', openSqlitePorts);
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => sendLeaseContract('PostgreSQL', openPgPorts));
