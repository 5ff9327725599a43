import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { configProblems } from '../helpers/config-problems.ts';

// The container's configuration says `url: ${DATABASE_URL:-}`: PostgreSQL when the
// variable is set, the SQLite file in the data folder when it is not.
const raw = { store: { url: '${DATABASE_URL:-}' } };

describe('store.url from an optional variable', () => {
  it('unset or empty: the SQLite store at the default path', () => {
    for (const env of [{}, { DATABASE_URL: '' }]) {
      const config = parseConfig(raw, env, 'tidings.yaml');
      expect(config.store.url).toBeUndefined();
      expect(config.store.path).toBe('data/tidings.db');
    }
  });

  it('set: that PostgreSQL database; anything else is still refused with the field named', () => {
    expect(parseConfig(raw, { DATABASE_URL: 'postgres://t:p@db:5432/tidings' }, 'tidings.yaml').store.url).toBe(
      'postgres://t:p@db:5432/tidings',
    );
    expect(configProblems(() => parseConfig(raw, { DATABASE_URL: 'mysql://db/tidings' }, 'tidings.yaml'))).toEqual([
      'store.url: must be a postgres:// or postgresql:// URL (from environment variable DATABASE_URL)',
    ]);
  });
});
