/**
 * Real stores for the history's tests: each kind opens a store and can open it again as a
 * second process would (the same memory store; a second connection to the same SQLite file).
 *
 * @internal
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../clock/clock.js';
import { memoryStore } from '../../store/memory-store.js';
import type { Store } from '../../store/spec.js';
import { sqliteStore } from '../../store/sqlite-store.js';

/** A store and a way to open it again, as another process sharing it would. */
export interface OpenedStore {
  readonly store: Store;
  /** Another handle on the same data. */
  reopen(): Store;
}

/** Opens stores of one kind and closes them all at the end. */
export interface StoreKind {
  readonly name: string;
  open(clock: Clock): OpenedStore;
  /** Closes every store opened and removes their files. */
  dispose(): Promise<void>;
}

/** The memory store and the SQLite store (files in a fresh temporary directory). */
export function storeKinds(): StoreKind[] {
  const memory: StoreKind = {
    name: 'memory',
    open(clock) {
      const store = memoryStore({ clock });
      return { store, reopen: () => store };
    },
    dispose: async () => undefined,
  };
  let directory: string | undefined;
  let files = 0;
  const opened: Store[] = [];
  const sqlite: StoreKind = {
    name: 'sqlite',
    open(clock) {
      directory ??= mkdtempSync(join(tmpdir(), 'modelscout-history-'));
      const path = join(directory, `store-${++files}.sqlite`);
      const connect = () => {
        const store = sqliteStore({ path, clock });
        opened.push(store);
        return store;
      };
      return { store: connect(), reopen: connect };
    },
    async dispose() {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
      directory = undefined;
    },
  };
  return [memory, sqlite];
}
