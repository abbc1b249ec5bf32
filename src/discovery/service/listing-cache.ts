import type { ModelCandidate } from '../../core/model-candidate.js';

/** One provider's listing for one provider query, as cached. */
export interface ProviderListing {
  readonly provider: string;
  /** Valid candidates, distinct ids, `provider` set to the provider's name. */
  readonly candidates: readonly ModelCandidate[];
  /** Whether the listing stopped at `maxCandidatesPerProvider`. */
  readonly truncated: boolean;
  /** Clock time the listing finished. */
  readonly listedAt: number;
}

interface Entry {
  readonly listing: ProviderListing;
  readonly expiresAt: number;
}

/**
 * Provider listings by key (provider and provider query), each fresh until its expiry time, then
 * kept as a fallback for failures until pushed out. Holds at most `maxEntries`; the least recently
 * used go first.
 */
export class ListingCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The listing under `key` when it has not expired at `now`. */
  fresh(key: string, now: number): ProviderListing | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || now >= entry.expiresAt) return undefined;
    this.#touch(key, entry);
    return entry.listing;
  }

  /** The listing under `key`, expired or not. */
  last(key: string): ProviderListing | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#touch(key, entry);
    return entry?.listing;
  }

  set(key: string, listing: ProviderListing, expiresAt: number): void {
    if (this.#maxEntries === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { listing, expiresAt });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Removes every entry whose key `matches`. */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (matches(key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }
}
