import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/core/errors.ts';

describe('config images', () => {
  it('defaults to proxy when web.baseUrl is an address readers can reach, else to direct', () => {
    expect(parseConfig({ web: { baseUrl: 'https://news.example.org' } }, {}).images).toBe('proxy');
    expect(parseConfig({ web: { baseUrl: 'http://192.168.1.20:8080' } }, {}).images).toBe('proxy');
    // The default base URL and other loopback ones: no reader's mail client loads from there.
    expect(parseConfig({}, {}).images).toBe('direct');
    for (const baseUrl of [
      'http://localhost:8080',
      'http://127.0.0.2',
      'http://[::1]:8080/',
      'http://tidings.localhost',
    ]) {
      expect(parseConfig({ web: { baseUrl } }, {}).images, baseUrl).toBe('direct');
    }
    // As the example config writes it: the environment decides.
    const example = { web: { baseUrl: '${TIDINGS_BASE_URL:-http://127.0.0.1:8080}' } };
    expect(parseConfig(example, {}).images).toBe('direct');
    expect(parseConfig(example, { TIDINGS_BASE_URL: 'https://news.example.org' }).images).toBe('proxy');
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
