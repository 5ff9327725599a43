import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/core/errors.ts';

describe('config images', () => {
  it('defaults to proxy when web.baseUrl is set, else to direct (127.0.0.1 is no address a reader can load from)', () => {
    expect(parseConfig({ web: { baseUrl: 'https://news.example.org' } }, {}).images).toBe('proxy');
    expect(parseConfig({}, {}).images).toBe('direct');
    expect(parseConfig({ web: { port: 9000 } }, {}).images).toBe('direct');
    expect(parseConfig({ web: { baseUrl: '${PUBLIC_URL}' } }, { PUBLIC_URL: 'https://news.example.org' }).images).toBe('proxy');
  });

  it('takes an explicit mode whatever web.baseUrl says', () => {
    expect(parseConfig({ images: 'none', web: { baseUrl: 'https://news.example.org' } }, {}).images).toBe('none');
    expect(parseConfig({ images: 'direct', web: { baseUrl: 'https://news.example.org' } }, {}).images).toBe('direct');
    expect(parseConfig({ images: 'proxy' }, {}).images).toBe('proxy');
  });

  it('names the field and the choices for a bad value', () => {
    let caught: unknown;
    try {
      parseConfig({ images: 'inline' }, {}, 'tidings.config.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.join('\n')).toMatch(/^images: .*"proxy".*"direct".*"none"/m);
  });
});
