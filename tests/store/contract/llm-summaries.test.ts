import { describe } from 'vitest';
import { PG_TEST_URL } from '../../helpers/postgres.ts';
import { llmSummaryCacheContract } from './llm-summaries.contract.ts';
import { postgresStores, sqliteStores } from './stores.ts';

describe('SQLite', () => llmSummaryCacheContract('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  llmSummaryCacheContract('PostgreSQL', postgresStores()),
);
