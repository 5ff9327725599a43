import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { resolveWebhookEndpoints } from '../../src/webhooks/webhook-dispatcher.ts';
import { configProblems } from '../helpers/config-problems.ts';

const endpoint = { url: 'https://hooks.example.org/tidings', secretEnv: 'HOOK_SECRET' };

describe('webhooks configuration', () => {
  it('defaults to no endpoints; an endpoint takes every event unless it names some', () => {
    expect(parseConfig({}, {}).webhooks).toEqual({ endpoints: [], timeout: 10_000, retryFor: 86_400_000, every: 5000 });
    const [all, some] = parseConfig(
      { webhooks: { endpoints: [endpoint, { ...endpoint, name: 'chat', events: ['edition.sent'] }] } },
      {},
    ).webhooks.endpoints;
    expect(all).toEqual({ ...endpoint, allowPrivateNetwork: false });
    expect(some!.events).toEqual(['edition.sent']);
  });

  it('refuses an endpoint without a secret variable, an unknown event or a non-http URL, and two endpoints of one name', () => {
    const problems = configProblems(() =>
      parseConfig(
        {
          webhooks: {
            endpoints: [
              { url: endpoint.url },
              { ...endpoint, events: ['edition.published'] },
              { ...endpoint, url: 'ftp://hooks.example.org/' },
            ],
          },
        },
        {},
      ),
    ).join('\n');
    expect(problems).toMatch(/webhooks\.endpoints\[0\]\.secretEnv: is required/);
    expect(problems).toMatch(/webhooks\.endpoints\[1\]\.events\[0\]: Invalid option/);
    expect(problems).toMatch(/webhooks\.endpoints\[2\]\.url: must be an http\(s\) URL/);
    const twice = {
      webhooks: {
        endpoints: [
          { ...endpoint, name: 'twice' },
          { ...endpoint, name: 'twice' },
        ],
      },
    };
    expect(configProblems(() => parseConfig(twice, {}))).toEqual([
      'webhooks.endpoints[1].name: two endpoints named twice',
    ]);
  });

  it('takes the secret only from the environment, and only a whsec_ secret of 24 bytes or more', () => {
    const endpoints = parseConfig({ webhooks: { endpoints: [endpoint] } }, {}).webhooks.endpoints;
    const problem = (value: string | undefined) =>
      configProblems(() => resolveWebhookEndpoints(endpoints, { HOOK_SECRET: value }, 'tidings.config.yaml'));
    expect(problem(undefined)).toEqual([
      'webhooks.endpoints[0].secretEnv: the environment variable HOOK_SECRET is not set',
    ]);
    expect(problem(Buffer.alloc(32, 7).toString('base64'))[0]).toMatch(/must start with whsec_/);
    expect(problem(`whsec_${Buffer.alloc(8, 7).toString('base64')}`)[0]).toMatch(/at least 24 random bytes/);
    expect(problem('whsec_not base64!')[0]).toMatch(/followed by base64/);
    const [resolved] = resolveWebhookEndpoints(
      endpoints,
      { HOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}` },
      'tidings.config.yaml',
    );
    expect(resolved).toMatchObject({ name: endpoint.url, url: endpoint.url, allowPrivateNetwork: false });
    expect(resolved!.key).toEqual(Buffer.alloc(32, 7));
  });
});
