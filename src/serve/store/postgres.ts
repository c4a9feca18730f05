import pg from 'pg';
import { InvalidArgumentError, ReckonError, UnavailableError } from '../../core/errors.js';
import type { EventRecord, HistoryEntry, ItemCount, ItemInput, ItemRecord, TrainingTriples, UserInput, UserRecord } from '../types.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { type ItemRow, intColumn, itemDefaults, itemFromRow, jsonColumn } from './rows.js';
import { type PipelineRunRow, type PipelineTaskRow, type RunSqlRow, type TaskSqlRow, runFromSql, taskFromSql } from './pipeline-rows.js';
import type { ExperimentCountDelta, Store } from './store.js';

/** Options of the PostgreSQL adapter. */
export interface PostgresStoreOptions {
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Milliseconds before a query without an answer fails as unavailable (default 5000). */
  queryTimeoutMs?: number;
  /** Milliseconds to wait for a connection (default 2000). */
  connectTimeoutMs?: number;
}

/** SQLSTATE classes that mean "the database is not reachable right now": connection exception, resources, operator. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;

/**
 * PostgreSQL store over a `pg` pool. The URL may carry `?schema=NAME` to keep all tables in their own schema (created
 * when missing; used by tests to run in parallel). Batches are single statements over `unnest` of bound arrays, so no
 * SQL text is ever built from values.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  constructor(url: string, opts: PostgresStoreOptions = {}) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new InvalidArgumentError(`store URL: schema must match [a-z_][a-z0-9_]*, got "${schema}"`, { schema });
    }
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString: u.toString(),
      max: opts.maxConnections ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
      query_timeout: opts.queryTimeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    // An idle client losing its connection must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  private async q<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (e) {
      throw mapPgError(e);
    }
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect().catch((e: unknown) => {
      throw mapPgError(e);
    });
    try {
      if (this.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query('SELECT pg_advisory_lock(727401)');
      try {
        await client.query('CREATE TABLE IF NOT EXISTS reckon_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
        const done = new Set((await client.query<{ version: number }>('SELECT version FROM reckon_migrations')).rows.map((r) => r.version));
        for (const m of POSTGRES_MIGRATIONS) {
          if (done.has(m.version)) continue;
          await client.query('BEGIN');
          try {
            for (const s of m.statements) await client.query(s);
            await client.query('INSERT INTO reckon_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
            await client.query('COMMIT');
          } catch (e) {
            await client.query('ROLLBACK');
            throw e;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(727401)');
      }
    } catch (e) {
      throw mapPgError(e);
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Drops this store's schema (tests only; refuses without a schema). */
  async dropSchema(): Promise<void> {
    if (this.schema === undefined) throw new InvalidArgumentError('dropSchema: the store URL has no ?schema=');
    await this.q(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  async upsertUsers(users: readonly UserInput[]): Promise<number> {
    if (users.length === 0) return 0;
    const byId = new Map(users.map((u) => [u.id, u]));
    const ids = [...byId.keys()];
    const attrs = ids.map((id) => JSON.stringify(byId.get(id)!.attributes ?? {}));
    const now = Date.now();
    await this.q(
      `INSERT INTO users (id, attributes, created_at, updated_at) SELECT i, a::jsonb, $3, $3 FROM unnest($1::text[], $2::text[]) AS t(i, a)
       ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at`,
      [ids, attrs, now],
    );
    return users.length;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const r = (await this.q<{ id: string; attributes: unknown; created_at: string; updated_at: string }>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    return r === undefined ? undefined : { id: r.id, attributes: jsonColumn(r.attributes, {}), createdAt: intColumn(r.created_at), updatedAt: intColumn(r.updated_at) };
  }

  async listUserIds(limit: number, after = ''): Promise<string[]> {
    return (await this.q<{ id: string }>('SELECT id FROM users WHERE id > $1 ORDER BY id COLLATE "C" LIMIT $2', [after, limit])).rows.map((r) => r.id);
  }

  async deleteUser(id: string): Promise<boolean> {
    const r = await this.q(`WITH e AS (DELETE FROM events WHERE user_id = $1) DELETE FROM users WHERE id = $1`, [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async upsertItems(items: readonly ItemInput[]): Promise<number> {
    if (items.length === 0) return 0;
    const byId = new Map(items.map((it) => [it.id, itemDefaults(it)]));
    const all = [...byId.values()];
    await this.q(
      `INSERT INTO items (id, title, description, categories, attributes, hidden, created_at, updated_at)
       SELECT i, t, d, c::jsonb, a::jsonb, h, $7, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[]) AS x(i, t, d, c, a, h)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description, categories = excluded.categories,
       attributes = excluded.attributes, hidden = excluded.hidden, updated_at = excluded.updated_at`,
      [
        all.map((x) => x.id),
        all.map((x) => x.title),
        all.map((x) => x.description),
        all.map((x) => JSON.stringify(x.categories)),
        all.map((x) => JSON.stringify(x.attributes)),
        all.map((x) => x.hidden),
        Date.now(),
      ],
    );
    return items.length;
  }

  async getItem(id: string): Promise<ItemRecord | undefined> {
    const r = (await this.q<ItemRow>('SELECT * FROM items WHERE id = $1', [id])).rows[0];
    return r === undefined ? undefined : itemFromRow(r);
  }

  async listItems(limit: number, after = ''): Promise<ItemRecord[]> {
    return (await this.q<ItemRow>('SELECT * FROM items WHERE id > $1 ORDER BY id COLLATE "C" LIMIT $2', [after, limit])).rows.map(itemFromRow);
  }

  async deleteItem(id: string): Promise<boolean> {
    return ((await this.q('DELETE FROM items WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async insertEvents(events: readonly EventRecord[]): Promise<string[]> {
    if (events.length === 0) return [];
    const r = await this.q<{ id: string }>(
      `INSERT INTO events (id, user_id, item_id, type, value, ts, list_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int8[], $7::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        events.map((e) => e.id),
        events.map((e) => e.user),
        events.map((e) => e.item),
        events.map((e) => e.type),
        events.map((e) => e.value),
        events.map((e) => e.timestamp),
        events.map((e) => e.listId),
      ],
    );
    return r.rows.map((x) => x.id);
  }

  async userHistory(user: string, limit: number): Promise<HistoryEntry[]> {
    const r = await this.q<{ item: string; value: number; last: string }>(
      `SELECT item_id AS item, SUM(value) AS value, MAX(ts) AS last FROM events WHERE user_id = $1 GROUP BY item_id ORDER BY last DESC LIMIT $2`,
      [user, limit],
    );
    return r.rows.map((x) => ({ item: x.item, value: Number(x.value), lastTimestamp: intColumn(x.last) }));
  }

  async existingEventIds(ids: readonly string[]): Promise<Set<string>> {
    const r = await this.q<{ id: string }>('SELECT id FROM events WHERE id = ANY($1::text[])', [ids]);
    return new Set(r.rows.map((x) => x.id));
  }

  async countEvents(): Promise<number> {
    return intColumn((await this.q<{ n: string }>('SELECT COUNT(*) AS n FROM events')).rows[0]!.n);
  }

  async itemCounts(): Promise<ItemCount[]> {
    const r = await this.q<{ item: string; count: string; last: string }>('SELECT item_id AS item, COUNT(*) AS count, MAX(ts) AS last FROM events GROUP BY item_id');
    return r.rows.map((x) => ({ item: x.item, count: intColumn(x.count), lastTimestamp: intColumn(x.last) }));
  }

  async recentEvents(limit: number): Promise<EventRecord[]> {
    const r = await this.q<{ id: string; user_id: string; item_id: string; type: string; value: number; ts: string; list_id: string }>(
      'SELECT * FROM (SELECT * FROM events ORDER BY seq DESC LIMIT $1) AS x ORDER BY seq',
      [limit],
    );
    return r.rows.map((x) => ({ id: x.id, user: x.user_id, item: x.item_id, type: x.type, value: Number(x.value), timestamp: intColumn(x.ts), listId: x.list_id }));
  }

  async trainingTriples(): Promise<TrainingTriples> {
    const r = await this.q<{ u: string; i: string; v: number }>('SELECT user_id AS u, item_id AS i, SUM(value) AS v FROM events GROUP BY user_id, item_id');
    return { users: r.rows.map((x) => x.u), items: r.rows.map((x) => x.i), values: r.rows.map((x) => Number(x.v)) };
  }

  async eventsInRange(from: number, to: number, limit: number): Promise<EventRecord[]> {
    const r = await this.q<{ id: string; user_id: string; item_id: string; type: string; value: number; ts: string; list_id: string }>(
      'SELECT * FROM events WHERE ts >= $1 AND ts < $2 ORDER BY seq LIMIT $3',
      [from, to, limit],
    );
    return r.rows.map((x) => ({ id: x.id, user: x.user_id, item: x.item_id, type: x.type, value: Number(x.value), timestamp: intColumn(x.ts), listId: x.list_id }));
  }

  async savePipelineRun(r: PipelineRunRow): Promise<void> {
    await this.q(
      `INSERT INTO pipeline_runs (id, pipeline, status, started_at, finished_at, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, data = excluded.data`,
      [r.id, r.pipeline, r.status, r.startedAt, r.finishedAt, JSON.stringify(r.data)],
    );
  }

  async savePipelineTask(t: PipelineTaskRow): Promise<void> {
    await this.q(
      `INSERT INTO pipeline_tasks (run_id, pipeline, task, status, input_hash, attempts, started_at, finished_at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (run_id, task) DO UPDATE SET status = excluded.status,
       input_hash = excluded.input_hash, attempts = excluded.attempts, started_at = excluded.started_at, finished_at = excluded.finished_at,
       data = excluded.data`,
      [t.runId, t.pipeline, t.task, t.status, t.inputHash, t.attempts, t.startedAt, t.finishedAt, JSON.stringify(t.data)],
    );
  }

  async getPipelineRun(id: string): Promise<PipelineRunRow | undefined> {
    const r = (await this.q<RunSqlRow>('SELECT * FROM pipeline_runs WHERE id = $1', [id])).rows[0];
    return r === undefined ? undefined : runFromSql(r);
  }

  async listPipelineRuns(limit: number, pipeline?: string): Promise<PipelineRunRow[]> {
    const r =
      pipeline === undefined
        ? await this.q<RunSqlRow>('SELECT * FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT $1', [limit])
        : await this.q<RunSqlRow>('SELECT * FROM pipeline_runs WHERE pipeline = $1 ORDER BY started_at DESC, id DESC LIMIT $2', [pipeline, limit]);
    return r.rows.map(runFromSql);
  }

  async listPipelineTasks(runId: string): Promise<PipelineTaskRow[]> {
    return (await this.q<TaskSqlRow>('SELECT * FROM pipeline_tasks WHERE run_id = $1 ORDER BY started_at, task', [runId])).rows.map(taskFromSql);
  }

  async findSucceededTask(pipeline: string, task: string, inputHash: string): Promise<PipelineTaskRow | undefined> {
    const r = (
      await this.q<TaskSqlRow>(
        `SELECT * FROM pipeline_tasks WHERE pipeline = $1 AND task = $2 AND input_hash = $3 AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`,
        [pipeline, task, inputHash],
      )
    ).rows[0];
    return r === undefined ? undefined : taskFromSql(r);
  }

  async addExperimentCounts(deltas: readonly ExperimentCountDelta[]): Promise<void> {
    // One row per (experiment, variant): an upsert may not touch the same row twice in one statement.
    const sum = new Map<string, ExperimentCountDelta>();
    for (const d of deltas) {
      const k = JSON.stringify([d.experiment, d.variant]);
      const s = sum.get(k);
      if (s === undefined) sum.set(k, { ...d });
      else {
        s.impressions += d.impressions;
        s.clicks += d.clicks;
      }
    }
    if (sum.size === 0) return;
    deltas = [...sum.values()];
    await this.q(
      `INSERT INTO experiment_counts (experiment, variant, impressions, clicks)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (experiment, variant) DO UPDATE SET impressions = experiment_counts.impressions + excluded.impressions,
       clicks = experiment_counts.clicks + excluded.clicks`,
      [deltas.map((d) => d.experiment), deltas.map((d) => d.variant), deltas.map((d) => d.impressions), deltas.map((d) => d.clicks)],
    );
  }

  async experimentCounts(experiment: string): Promise<Record<string, { impressions: number; clicks: number }>> {
    const r = await this.q<{ variant: string; impressions: string; clicks: string }>('SELECT variant, impressions, clicks FROM experiment_counts WHERE experiment = $1', [experiment]);
    const out: Record<string, { impressions: number; clicks: number }> = {};
    for (const x of r.rows) out[x.variant] = { impressions: Number(x.impressions), clicks: Number(x.clicks) };
    return out;
  }
}


/** Connection-level failures become UnavailableError (-> 503); SQL errors stay as they are. */
export function mapPgError(e: unknown): unknown {
  if (e instanceof ReckonError) return e;
  const code = (e as { code?: unknown }).code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState === undefined || UNAVAILABLE_SQLSTATE.test(sqlState)) {
    return new UnavailableError('postgres store', (e as Error).message ?? String(e), { cause: e, retryAfterSeconds: 2 });
  }
  return e;
}
