/**
 * Records the server stores and serves. Raw ids are strings; times are milliseconds since the epoch inside and ISO
 * 8601 strings at the HTTP boundary.
 */

/** A catalog item. */
export interface ItemRecord {
  id: string;
  title: string;
  description: string;
  categories: string[];
  attributes: Record<string, unknown>;
  /** Hidden items are never recommended (but stay in history and the store). */
  hidden: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Fields a client may set on an item (id required; the rest default to empty). */
export interface ItemInput {
  id: string;
  title?: string;
  description?: string;
  categories?: string[];
  attributes?: Record<string, unknown>;
  hidden?: boolean;
}

/** A user of the catalog with free-form attributes. */
export interface UserRecord {
  id: string;
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface UserInput {
  id: string;
  attributes?: Record<string, unknown>;
}

/** A feedback event as stored: every field resolved (server-generated id when the client sent none). */
export interface EventRecord {
  id: string;
  user: string;
  item: string;
  type: string;
  /** Weight of the event (explicit value, or the default weight of its type). */
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Id of the served recommendation list this event refers to (for A/B click counting), or "". */
  listId: string;
}

/** One item of a user's history aggregated over events: total weight and latest time. */
export interface HistoryEntry {
  item: string;
  value: number;
  lastTimestamp: number;
}

/** Item-level aggregate used to warm popularity at start-up. */
export interface ItemCount {
  item: string;
  count: number;
  lastTimestamp: number;
}

/** Aggregated (user, item, summed value) triples for training, in column form. */
export interface TrainingTriples {
  users: string[];
  items: string[];
  values: number[];
}
