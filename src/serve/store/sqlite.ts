import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ReckonError, UnavailableError } from '../../core/errors.js';
import type { EventRecord, HistoryEntry, ItemCount, ItemInput, ItemRecord, TrainingTriples, UserInput, UserRecord } from '../types.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { type ItemRow, intColumn, itemDefaults, itemFromRow, jsonColumn } from './rows.js';
import { type PipelineRunRow, type PipelineTaskRow, type RunSqlRow, type TaskSqlRow, runFromSql, taskFromSql } from './pipeline-rows.js';
import type { ExperimentCountDelta, Store } from './store.js';

type Db = Database.Database;

/**
 * Embedded store on one SQLite file (better-sqlite3): WAL journal with `synchronous=FULL`, so a resolved write has
 * been fsynced. Every statement is prepared once with bound parameters. Calls are synchronous under the hood; batches
 * run in one transaction.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Db;
  private readonly st: ReturnType<SqliteStore['prepare']>;

  /** `path` is a file path or ":memory:". */
  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 2000');
    } catch (e) {
      throw new UnavailableError('sqlite store', `cannot open ${path} (${(e as Error).message})`, { cause: e });
    }
    this.runMigrations();
    this.st = this.prepare();
  }

  private runMigrations(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS reckon_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM reckon_migrations').all() as { version: number }[]).map((r) => r.version));
    const record = this.db.prepare('INSERT INTO reckon_migrations (version, applied_at) VALUES (?, ?)');
    for (const m of SQLITE_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        for (const s of m.statements) this.db.exec(s);
        record.run(m.version, Date.now());
      })();
    }
  }

  private prepare() {
    const d = this.db;
    return {
      upsertUser: d.prepare(`INSERT INTO users (id, attributes, created_at, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at`),
      getUser: d.prepare('SELECT id, attributes, created_at, updated_at FROM users WHERE id = ?'),
      listUsers: d.prepare('SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?'),
      deleteUser: d.prepare('DELETE FROM users WHERE id = ?'),
      deleteUserEvents: d.prepare('DELETE FROM events WHERE user_id = ?'),
      upsertItem: d.prepare(`INSERT INTO items (id, title, description, categories, attributes, hidden, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, description = excluded.description,
        categories = excluded.categories, attributes = excluded.attributes, hidden = excluded.hidden, updated_at = excluded.updated_at`),
      getItem: d.prepare('SELECT * FROM items WHERE id = ?'),
      listItems: d.prepare('SELECT * FROM items WHERE id > ? ORDER BY id LIMIT ?'),
      deleteItem: d.prepare('DELETE FROM items WHERE id = ?'),
      insertEvent: d.prepare(`INSERT INTO events (id, user_id, item_id, type, value, ts, list_id) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO NOTHING`),
      history: d.prepare(`SELECT item_id AS item, SUM(value) AS value, MAX(ts) AS last FROM events WHERE user_id = ?
        GROUP BY item_id ORDER BY last DESC LIMIT ?`),
      eventExists: d.prepare('SELECT 1 FROM events WHERE id = ?').pluck(),
      countEvents: d.prepare('SELECT COUNT(*) FROM events').pluck(),
      itemCounts: d.prepare('SELECT item_id AS item, COUNT(*) AS count, MAX(ts) AS last FROM events GROUP BY item_id'),
      recent: d.prepare('SELECT * FROM (SELECT * FROM events ORDER BY seq DESC LIMIT ?) ORDER BY seq'),
      range: d.prepare('SELECT * FROM events WHERE ts >= ? AND ts < ? ORDER BY seq LIMIT ?'),
      saveRun: d.prepare(`INSERT INTO pipeline_runs (id, pipeline, status, started_at, finished_at, data) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, data = excluded.data`),
      saveTask: d.prepare(`INSERT INTO pipeline_tasks (run_id, pipeline, task, status, input_hash, attempts, started_at, finished_at, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, task) DO UPDATE SET status = excluded.status, input_hash = excluded.input_hash,
        attempts = excluded.attempts, started_at = excluded.started_at, finished_at = excluded.finished_at, data = excluded.data`),
      getRun: d.prepare('SELECT * FROM pipeline_runs WHERE id = ?'),
      listRuns: d.prepare('SELECT * FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT ?'),
      listRunsOf: d.prepare('SELECT * FROM pipeline_runs WHERE pipeline = ? ORDER BY started_at DESC, id DESC LIMIT ?'),
      listTasks: d.prepare('SELECT * FROM pipeline_tasks WHERE run_id = ? ORDER BY started_at, task'),
      findTask: d.prepare(`SELECT * FROM pipeline_tasks WHERE pipeline = ? AND task = ? AND input_hash = ? AND status = 'succeeded'
        ORDER BY finished_at DESC LIMIT 1`),
      triples: d.prepare('SELECT user_id AS u, item_id AS i, SUM(value) AS v FROM events GROUP BY user_id, item_id').raw(),
      addCounts: d.prepare(`INSERT INTO experiment_counts (experiment, variant, impressions, clicks) VALUES (?, ?, ?, ?)
        ON CONFLICT(experiment, variant) DO UPDATE SET impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks`),
      counts: d.prepare('SELECT variant, impressions, clicks FROM experiment_counts WHERE experiment = ?'),
    };
  }

  /** Runs `fn`, turning SQLite "busy/locked/io" failures into UnavailableError. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ReckonError) throw e;
      const code = String((e as { code?: unknown }).code ?? '');
      if (/BUSY|LOCKED|IOERR|FULL|CANTOPEN/.test(code) || !this.db.open) {
        throw new UnavailableError('sqlite store', `${code || 'closed'} (${(e as Error).message})`, { cause: e });
      }
      throw e;
    }
  }

  async migrate(): Promise<void> {
    this.guard(() => this.runMigrations());
  }

  async ping(): Promise<void> {
    this.guard(() => this.st.countEvents.get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async upsertUsers(users: readonly UserInput[]): Promise<number> {
    const now = Date.now();
    return this.guard(() =>
      this.db.transaction(() => {
        for (const u of users) this.st.upsertUser.run(u.id, JSON.stringify(u.attributes ?? {}), now, now);
        return users.length;
      })(),
    );
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const r = this.guard(() => this.st.getUser.get(id)) as { id: string; attributes: string; created_at: number; updated_at: number } | undefined;
    return r === undefined ? undefined : { id: r.id, attributes: jsonColumn(r.attributes, {}), createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async listUserIds(limit: number, after = ''): Promise<string[]> {
    return this.guard(() => (this.st.listUsers.all(after, limit) as { id: string }[]).map((r) => r.id));
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.guard(() =>
      this.db.transaction(() => {
        this.st.deleteUserEvents.run(id);
        return this.st.deleteUser.run(id).changes > 0;
      })(),
    );
  }

  async upsertItems(items: readonly ItemInput[]): Promise<number> {
    const now = Date.now();
    return this.guard(() =>
      this.db.transaction(() => {
        for (const raw of items) {
          const it = itemDefaults(raw);
          this.st.upsertItem.run(it.id, it.title, it.description, JSON.stringify(it.categories), JSON.stringify(it.attributes), it.hidden ? 1 : 0, now, now);
        }
        return items.length;
      })(),
    );
  }

  async getItem(id: string): Promise<ItemRecord | undefined> {
    const r = this.guard(() => this.st.getItem.get(id)) as ItemRow | undefined;
    return r === undefined ? undefined : itemFromRow(r);
  }

  async listItems(limit: number, after = ''): Promise<ItemRecord[]> {
    return this.guard(() => (this.st.listItems.all(after, limit) as ItemRow[]).map(itemFromRow));
  }

  async deleteItem(id: string): Promise<boolean> {
    return this.guard(() => this.st.deleteItem.run(id).changes > 0);
  }

  async insertEvents(events: readonly EventRecord[]): Promise<string[]> {
    return this.guard(() =>
      this.db.transaction(() => {
        const inserted: string[] = [];
        for (const e of events) {
          if (this.st.insertEvent.run(e.id, e.user, e.item, e.type, e.value, e.timestamp, e.listId).changes > 0) inserted.push(e.id);
        }
        return inserted;
      })(),
    );
  }

  async userHistory(user: string, limit: number): Promise<HistoryEntry[]> {
    const rows = this.guard(() => this.st.history.all(user, limit)) as { item: string; value: number; last: number }[];
    return rows.map((r) => ({ item: r.item, value: r.value, lastTimestamp: r.last }));
  }

  async existingEventIds(ids: readonly string[]): Promise<Set<string>> {
    return this.guard(() => {
      const out = new Set<string>();
      for (const id of ids) if (this.st.eventExists.get(id) !== undefined) out.add(id);
      return out;
    });
  }

  async countEvents(): Promise<number> {
    return this.guard(() => intColumn(this.st.countEvents.get()));
  }

  async itemCounts(): Promise<ItemCount[]> {
    const rows = this.guard(() => this.st.itemCounts.all()) as { item: string; count: number; last: number }[];
    return rows.map((r) => ({ item: r.item, count: r.count, lastTimestamp: r.last }));
  }

  async recentEvents(limit: number): Promise<EventRecord[]> {
    const rows = this.guard(() => this.st.recent.all(limit)) as { id: string; user_id: string; item_id: string; type: string; value: number; ts: number; list_id: string }[];
    return rows.map((r) => ({ id: r.id, user: r.user_id, item: r.item_id, type: r.type, value: r.value, timestamp: r.ts, listId: r.list_id }));
  }

  async trainingTriples(): Promise<TrainingTriples> {
    const rows = this.guard(() => this.st.triples.all()) as [string, string, number][];
    const out: TrainingTriples = { users: new Array<string>(rows.length), items: new Array<string>(rows.length), values: new Array<number>(rows.length) };
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      out.users[k] = r[0];
      out.items[k] = r[1];
      out.values[k] = r[2];
    }
    return out;
  }

  async eventsInRange(from: number, to: number, limit: number): Promise<EventRecord[]> {
    const rows = this.guard(() => this.st.range.all(from, to, limit)) as { id: string; user_id: string; item_id: string; type: string; value: number; ts: number; list_id: string }[];
    return rows.map((r) => ({ id: r.id, user: r.user_id, item: r.item_id, type: r.type, value: r.value, timestamp: r.ts, listId: r.list_id }));
  }

  async savePipelineRun(r: PipelineRunRow): Promise<void> {
    this.guard(() => this.st.saveRun.run(r.id, r.pipeline, r.status, r.startedAt, r.finishedAt, JSON.stringify(r.data)));
  }

  async savePipelineTask(t: PipelineTaskRow): Promise<void> {
    this.guard(() => this.st.saveTask.run(t.runId, t.pipeline, t.task, t.status, t.inputHash, t.attempts, t.startedAt, t.finishedAt, JSON.stringify(t.data)));
  }

  async getPipelineRun(id: string): Promise<PipelineRunRow | undefined> {
    const r = this.guard(() => this.st.getRun.get(id)) as RunSqlRow | undefined;
    return r === undefined ? undefined : runFromSql(r);
  }

  async listPipelineRuns(limit: number, pipeline?: string): Promise<PipelineRunRow[]> {
    const rows = this.guard(() => (pipeline === undefined ? this.st.listRuns.all(limit) : this.st.listRunsOf.all(pipeline, limit))) as RunSqlRow[];
    return rows.map(runFromSql);
  }

  async listPipelineTasks(runId: string): Promise<PipelineTaskRow[]> {
    return (this.guard(() => this.st.listTasks.all(runId)) as TaskSqlRow[]).map(taskFromSql);
  }

  async findSucceededTask(pipeline: string, task: string, inputHash: string): Promise<PipelineTaskRow | undefined> {
    const r = this.guard(() => this.st.findTask.get(pipeline, task, inputHash)) as TaskSqlRow | undefined;
    return r === undefined ? undefined : taskFromSql(r);
  }

  async addExperimentCounts(deltas: readonly ExperimentCountDelta[]): Promise<void> {
    this.guard(() =>
      this.db.transaction(() => {
        for (const d of deltas) this.st.addCounts.run(d.experiment, d.variant, d.impressions, d.clicks);
      })(),
    );
  }

  async experimentCounts(experiment: string): Promise<Record<string, { impressions: number; clicks: number }>> {
    const rows = this.guard(() => this.st.counts.all(experiment)) as { variant: string; impressions: number; clicks: number }[];
    const out: Record<string, { impressions: number; clicks: number }> = {};
    for (const r of rows) out[r.variant] = { impressions: r.impressions, clicks: r.clicks };
    return out;
  }
}
