export { KEYV_STORE_DEFAULTS, type KeyvStoreOptions, keyvStore } from './keyv-store.js';
export { MEMORY_STORE_DEFAULTS, type MemoryStoreOptions, memoryStore } from './memory-store.js';
export { REDIS_STORE_DEFAULTS, type RedisStoreOptions, redisStore } from './redis-store.js';
export type {
  CounterIncrement,
  CounterRecord,
  IncrementOptions,
  JsonValue,
  SetDocumentOptions,
  Store,
} from './spec.js';
export { SQLITE_STORE_DEFAULTS, type SqliteStoreOptions, sqliteStore } from './sqlite-store.js';
