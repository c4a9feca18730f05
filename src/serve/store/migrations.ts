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
  {
    version: 2,
    statements: [
      `CREATE TABLE pipeline_runs (id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL,
        finished_at INTEGER, data TEXT NOT NULL DEFAULT '{}')`,
      `CREATE INDEX pipeline_runs_by_name ON pipeline_runs (pipeline, started_at)`,
      `CREATE TABLE pipeline_tasks (run_id TEXT NOT NULL, pipeline TEXT NOT NULL, task TEXT NOT NULL, status TEXT NOT NULL,
        input_hash TEXT NOT NULL, attempts INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
        data TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (run_id, task))`,
      `CREATE INDEX pipeline_tasks_by_hash ON pipeline_tasks (pipeline, task, input_hash, status)`,
      `CREATE INDEX events_ts ON events (ts)`,
    ],
  },
  {
    version: 3,
    statements: [
      `CREATE TABLE experiment_counts (experiment TEXT NOT NULL, variant TEXT NOT NULL, impressions INTEGER NOT NULL DEFAULT 0,
        clicks INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (experiment, variant))`,
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
  {
    version: 2,
    statements: [
      `CREATE TABLE pipeline_runs (id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, status TEXT NOT NULL, started_at BIGINT NOT NULL,
        finished_at BIGINT, data JSONB NOT NULL DEFAULT '{}')`,
      `CREATE INDEX pipeline_runs_by_name ON pipeline_runs (pipeline, started_at)`,
      `CREATE TABLE pipeline_tasks (run_id TEXT NOT NULL, pipeline TEXT NOT NULL, task TEXT NOT NULL, status TEXT NOT NULL,
        input_hash TEXT NOT NULL, attempts INTEGER NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT,
        data JSONB NOT NULL DEFAULT '{}', PRIMARY KEY (run_id, task))`,
      `CREATE INDEX pipeline_tasks_by_hash ON pipeline_tasks (pipeline, task, input_hash, status)`,
      `CREATE INDEX events_ts ON events (ts)`,
    ],
  },
  {
    version: 3,
    statements: [
      `CREATE TABLE experiment_counts (experiment TEXT NOT NULL, variant TEXT NOT NULL, impressions BIGINT NOT NULL DEFAULT 0,
        clicks BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (experiment, variant))`,
    ],
  },
];
