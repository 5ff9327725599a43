import { afterEach, beforeEach } from 'vitest';
import type { StagedSubscriber, SubscriberStore } from '../../../src/subscribers/subscriber-store.ts';
import type { OpenedPorts, OpenPorts } from './backends.ts';

/** Opens the ports before each test and closes them after it; the getter gives the current ones. */
export function usePorts(open: OpenPorts): () => OpenedPorts {
  let current: OpenedPorts | null = null;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return () => current!;
}

export function staged(
  email: string,
  newsletters: Record<string, string[] | null>,
  extra: Partial<StagedSubscriber> = {},
): StagedSubscriber {
  return {
    email,
    name: null,
    firstName: null,
    languages: null,
    locale: null,
    timezone: null,
    status: 'active',
    subscriptions: Object.entries(newsletters).map(([newsletterId, categories]) => ({ newsletterId, categories })),
    file: 'list.csv',
    line: 2,
    ...extra,
  };
}

/** Adds subscribers through a sync, as `tidings subscribers sync` does; returns their ids in order. */
export async function seedSubscribers(
  store: SubscriberStore,
  rows: StagedSubscriber[],
  at = new Date('2026-11-01T00:00:00Z'),
): Promise<number[]> {
  const session = await store.beginSync();
  await session.stage(rows);
  await session.apply(at, { removeMissing: false });
  const ids: number[] = [];
  for (const row of rows) ids.push((await store.findByEmail(row.email))!.id);
  return ids;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
