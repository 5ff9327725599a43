import type { AppContext } from './context.ts';
import type { SourceConfig } from '../config/schema.ts';
import type { SourceActivity, SourceActivityReader } from '../ingest/watchdog/source-activity.ts';
import { judgeSource, rhythmOf, type SourceRhythm, type SourceWarning } from '../ingest/watchdog/judge-source.ts';
import type { SourceFetchState, SourceStateStore } from '../ingest/source-state-store.ts';

/** How far back the watchdog learns a source's rhythm. */
export const WATCHDOG_WINDOW_MS = 30 * 86_400_000;

/** One configured source as editors and ops see it: fetching, rhythm and what looks wrong. */
export interface SourceHealth {
  name: string;
  type: SourceConfig['type'];
  fetch: Pick<
    SourceFetchState,
    'lastFetchedAt' | 'lastOkAt' | 'lastFailedAt' | 'lastError' | 'consecutiveFailures' | 'totalFailures'
  > | null;
  rhythm: SourceRhythm;
  warnings: SourceWarning[];
}

export interface SourceHealthDeps {
  sources: readonly Pick<SourceConfig, 'name' | 'type'>[];
  states: Pick<SourceStateStore, 'listStates'>;
  activity: SourceActivityReader;
}

/** Every configured source, in configuration order, with its fetch state, rhythm and watchdog warnings. */
export async function sourceHealth(deps: SourceHealthDeps, now: Date): Promise<SourceHealth[]> {
  const since = new Date(now.getTime() - WATCHDOG_WINDOW_MS);
  const [states, activity] = await Promise.all([deps.states.listStates(), deps.activity.listSourceActivity(since)]);
  const bySource = new Map<string, SourceActivity[]>();
  for (const item of activity) {
    const list = bySource.get(item.source);
    if (list) list.push(item);
    else bySource.set(item.source, [item]);
  }
  const stateOf = new Map(states.map((state) => [state.source, state]));
  return deps.sources.map((source) => {
    const items = bySource.get(source.name) ?? [];
    const state = stateOf.get(source.name);
    return {
      name: source.name,
      type: source.type,
      fetch: state
        ? {
            lastFetchedAt: state.lastFetchedAt,
            lastOkAt: state.lastOkAt,
            lastFailedAt: state.lastFailedAt,
            lastError: state.lastError,
            consecutiveFailures: state.consecutiveFailures,
            totalFailures: state.totalFailures,
          }
        : null,
      rhythm: rhythmOf(source.name, items),
      warnings: judgeSource(source.name, items, now),
    };
  });
}

/** The watchdog's warnings alone, for status lines, metrics and the editors' preview email. */
export async function sourceWarnings(deps: SourceHealthDeps, now: Date): Promise<SourceWarning[]> {
  return (await sourceHealth(deps, now)).flatMap((source) => source.warnings);
}

/** The watchdog's collaborators from the composition root's context. */
export function sourceHealthDeps(ctx: Pick<AppContext, 'config' | 'store'>): SourceHealthDeps {
  return { sources: ctx.config.sources, states: ctx.store.sources, activity: ctx.store.sourceActivity };
}
