/**
 * Schema migrations, one list per dialect, applied in order and recorded in `reckon_migrations`. Never edit an
 * applied migration: append a new one.
 */
export interface Migration {
  version: number;
  statements: readonly string[];
}

/** SQLite (better-sqlite3) schema. Times are integer milliseconds; JSON columns are TEXT. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE users (id TEXT PRIMARY KEY, attributes TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
      `CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        categories TEXT NOT NULL DEFAULT '[]', attributes TEXT NOT NULL DEFAULT '{}', hidden INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
      `CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,
        item_id TEXT NOT NULL, type TEXT NOT NULL, value REAL NOT NULL, ts INTEGER NOT NULL, list_id TEXT NOT NULL DEFAULT '')`,
      `CREATE INDEX events_user ON events (user_id, ts)`,
      `CREATE INDEX events_item ON events (item_id)`,
    ],
  },
];

/** PostgreSQL schema (created inside the connection's search_path schema). */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE users (id TEXT PRIMARY KEY, attributes JSONB NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        categories JSONB NOT NULL DEFAULT '[]', attributes JSONB NOT NULL DEFAULT '{}', hidden BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
      `CREATE TABLE events (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
        type TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, ts BIGINT NOT NULL, list_id TEXT NOT NULL DEFAULT '')`,
      `CREATE INDEX events_user ON events (user_id, ts)`,
      `CREATE INDEX events_item ON events (item_id)`,
    ],
  },
];
