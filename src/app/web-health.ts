import type { Clock } from '../core/clock.ts';
import type { Ledger } from '../delivery/ledger.ts';
import { checkStoreHealth, type StoreHeartbeat } from '../core/store-health.ts';

/** What `/healthz` asks the app: is the store writable, and what waits for an operator. */
export interface WebHealth {
  /** The store takes a write and reads it back; rejects with the reason otherwise. */
  checkStore(): Promise<string>;
  /** Ambiguous deliveries nobody has decided: the sends cannot finish without an operator. */
  warnings(): Promise<string[]>;
}

export interface WebHealthDeps {
  store: { heartbeat: StoreHeartbeat; ledger: Pick<Ledger, 'unresolvedAmbiguous'> };
  clock: Clock;
  /** The command line an operator runs, `-c FILE` included when needed. */
  commandLine(args: string): string;
}

export function createWebHealth(deps: WebHealthDeps): WebHealth {
  return {
    checkStore: () => checkStoreHealth(deps.store, deps.clock),
    async warnings() {
      const unresolved = await deps.store.ledger.unresolvedAmbiguous(deps.clock.now());
      if (!unresolved.length) return [];
      const rows = unresolved.reduce((sum, edition) => sum + edition.rows, 0);
      const where =
        unresolved
          .slice(0, 5)
          .map((edition) => `${edition.editionId}: ${edition.rows}`)
          .join(', ') + (unresolved.length > 5 ? ', …' : '');
      return [
        `${rows} ambiguous deliveries unresolved (${where}); decide them with ${deps.commandLine('deliveries resolve <edition> …')}`,
      ];
    },
  };
}
