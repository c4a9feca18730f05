import type { PipelineRunRow, PipelineTaskRow } from './pipeline-rows.js';
import type { EventRecord, HistoryEntry, ItemCount, ItemInput, ItemRecord, TrainingTriples, UserInput, UserRecord } from '../types.js';

/**
 * The one storage interface of the server (after Gorse's data store): catalog (users, items) and feedback events.
 * Adapters are chosen by URL scheme (see `openStore`): `sqlite:` / a file path (embedded, default) and `postgres:`.
 * Every method that can fail because the back end is unreachable throws `UnavailableError` (the HTTP edge maps it to
 * 503 + Retry-After); a promise that resolves means the write is durable.
 */
export interface Store {
  /** "sqlite" or "postgres". */
  readonly kind: string;
  /** Creates or upgrades the schema (idempotent; applied migrations are recorded). */
  migrate(): Promise<void>;
  /** Cheap liveness query; throws UnavailableError when the back end is down. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Inserts or replaces users; returns how many were written. */
  upsertUsers(users: readonly UserInput[]): Promise<number>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** User ids in ascending order after `after` (exclusive), at most `limit`. */
  listUserIds(limit: number, after?: string): Promise<string[]>;
  /** Deletes a user and their events; false when the user did not exist. */
  deleteUser(id: string): Promise<boolean>;

  /** Inserts or replaces items (fields not given reset to their defaults); returns how many were written. */
  upsertItems(items: readonly ItemInput[]): Promise<number>;
  getItem(id: string): Promise<ItemRecord | undefined>;
  /** Items in ascending id order after `after` (exclusive), at most `limit`. */
  listItems(limit: number, after?: string): Promise<ItemRecord[]>;
  deleteItem(id: string): Promise<boolean>;

  /**
   * Stores events in one transaction, skipping ids already stored (idempotent retries). Resolves with the ids that
   * were newly inserted, after the commit.
   */
  insertEvents(events: readonly EventRecord[]): Promise<string[]>;
  /** The user's items aggregated over events, most recent first, at most `limit`. */
  userHistory(user: string, limit: number): Promise<HistoryEntry[]>;
  /** Which of `ids` are stored. */
  existingEventIds(ids: readonly string[]): Promise<Set<string>>;
  countEvents(): Promise<number>;
  /** Event count and latest time per item. */
  itemCounts(): Promise<ItemCount[]>;
  /** The latest `limit` events, oldest first (to warm real-time structures). */
  recentEvents(limit: number): Promise<EventRecord[]>;
  /** (user, item, summed value) over all events, for training. */
  trainingTriples(): Promise<TrainingTriples>;

  /** Events with `from <= timestamp < to` in insertion order, at most `limit` (for pipeline extraction). */
  eventsInRange(from: number, to: number, limit: number): Promise<EventRecord[]>;

  /** Inserts or replaces a pipeline run record (by id). */
  savePipelineRun(run: PipelineRunRow): Promise<void>;
  /** Inserts or replaces a pipeline task record (by run id and task name). */
  savePipelineTask(task: PipelineTaskRow): Promise<void>;
  getPipelineRun(id: string): Promise<PipelineRunRow | undefined>;
  /** Latest runs first, at most `limit`, optionally of one pipeline. */
  listPipelineRuns(limit: number, pipeline?: string): Promise<PipelineRunRow[]>;
  /** The tasks of a run in start order. */
  listPipelineTasks(runId: string): Promise<PipelineTaskRow[]>;
  /** The latest succeeded record of `task` in `pipeline` with this input hash (idempotent reruns). */
  findSucceededTask(pipeline: string, task: string, inputHash: string): Promise<PipelineTaskRow | undefined>;

  /** Adds impressions and clicks to A/B variants' counters (one transaction; counters start at 0). */
  addExperimentCounts(deltas: readonly ExperimentCountDelta[]): Promise<void>;
  /** The counters of every variant of one experiment run. */
  experimentCounts(experiment: string): Promise<Record<string, { impressions: number; clicks: number }>>;
}

/** Counts to add to one variant of one experiment run. */
export interface ExperimentCountDelta {
  experiment: string;
  variant: string;
  impressions: number;
  clicks: number;
}
