import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, ReckonError } from '../core/errors.js';
import { Frame, categoricalColumn, numericColumn, type Column } from './frame.js';

/**
 * DuckDB bridge: SQL over files (CSV, Parquet) for data larger than memory, big joins and group-bys, and Parquet read
 * and write. Results come back as Frames column by column from each result chunk's vectors into growable typed
 * arrays (never row objects); BIGINT/HUGEINT (JS bigint) and DECIMAL are cast to DOUBLE in SQL, other non-numeric
 * types to VARCHAR. One in-memory DuckDB instance is shared per process (see {@link closeDuckdb}).
 */

let conn: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;

async function connection(): Promise<DuckDBConnection> {
  conn ??= (async () => {
    const instance = await DuckDBInstance.create(':memory:');
    return { instance, connection: await instance.connect() };
  })();
  return (await conn).connection;
}

/** Closes the shared DuckDB instance (a later call opens a new one). */
export async function closeDuckdb(): Promise<void> {
  if (conn === undefined) return;
  const c = await conn;
  conn = undefined;
  c.connection.closeSync();
  c.instance.closeSync();
}

const NUMERIC_TYPES = new Set<number>([
  DuckDBTypeId.BOOLEAN, DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL,
]);

/** Quotes an SQL identifier. */
export function sqlIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes an SQL string literal. */
export function sqlString(s: string): string {
  return "'" + s.replaceAll("'", "''") + "'";
}

function wrapError(sql: string, e: unknown): ReckonError {
  const msg = e instanceof Error ? e.message : String(e);
  return new ReckonError(ErrorCode.Io, `DuckDB: ${msg.split('\n')[0]} (query: ${sql.length > 200 ? sql.slice(0, 197) + '...' : sql})`, { cause: e, details: { sql } });
}

/**
 * Runs `sql` (with `$1`/`?` parameters from `params`) and returns the result as a Frame: numeric SQL types become
 * numeric columns (NULL = NaN), everything else categorical (NULL = missing). Streams the result chunk by chunk.
 */
export async function duckdbQuery(sql: string, params: DuckDBValue[] = [], opts: { expectedRows?: number } = {}): Promise<Frame> {
  const c = await connection();
  let names: string[];
  let numeric: boolean[];
  try {
    const probe = await c.run(`SELECT * FROM (${sql}) LIMIT 0`, params);
    names = probe.deduplicatedColumnNames();
    numeric = names.map((_, j) => NUMERIC_TYPES.has(probe.columnTypeId(j)));
  } catch (e) {
    throw wrapError(sql, e);
  }
  const select = names.map((n, j) => `CAST(${sqlIdent(n)} AS ${numeric[j] ? 'DOUBLE' : 'VARCHAR'}) AS ${sqlIdent(n)}`).join(', ');
  let nums: Float64Array[] = names.map(() => new Float64Array(0));
  let codes: Int32Array[] = names.map(() => new Int32Array(0));
  const dicts: string[][] = names.map(() => []);
  const index: Map<string, number>[] = names.map(() => new Map());
  let n = 0;
  let cap = 0;
  if (opts.expectedRows !== undefined && opts.expectedRows > 0) {
    // preallocate when the row count is known (Parquet metadata): no regrowth
    cap = Math.ceil(opts.expectedRows);
    nums = nums.map((a, j) => (numeric[j] ? new Float64Array(cap) : a));
    codes = codes.map((a, j) => (numeric[j] ? a : new Int32Array(cap)));
  }
  try {
    const result = await c.stream(names.length === 0 ? sql : `SELECT ${select} FROM (${sql})`, params);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (n + m > cap) {
        cap = Math.max(n + m, cap * 2, 2048);
        nums = nums.map((a, j) => (numeric[j] ? grow64(a, cap) : a));
        codes = codes.map((a, j) => (numeric[j] ? a : grow32(a, cap)));
      }
      for (let j = 0; j < names.length; j++) {
        const vec = chunk.getColumnVector(j);
        if (numeric[j]) {
          const out = nums[j]!;
          for (let r = 0; r < m; r++) {
            const v = vec.getItem(r);
            out[n + r] = v === null ? NaN : (v as number);
          }
        } else {
          const out = codes[j]!;
          const dict = dicts[j]!;
          const idx = index[j]!;
          for (let r = 0; r < m; r++) {
            const v = vec.getItem(r);
            if (v === null) {
              out[n + r] = -1;
              continue;
            }
            const s = v as string;
            let code = idx.get(s);
            if (code === undefined) {
              code = dict.length;
              dict.push(s);
              idx.set(s, code);
            }
            out[n + r] = code;
          }
        }
      }
      n += m;
    }
  } catch (e) {
    throw wrapError(sql, e);
  }
  const fit = <T extends Float64Array | Int32Array>(a: T): T => (a.length === n ? a : (a.slice(0, n) as T));
  const cols: Column[] = names.map((name, j) => (numeric[j] ? numericColumn(name, fit(nums[j]!)) : categoricalColumn(name, fit(codes[j]!), dicts[j]!)));
  return new Frame(cols);
}

function grow64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function grow32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** Reads a Parquet file into a Frame (columns preallocated from the row count in the file's metadata). */
export async function readParquet(path: string): Promise<Frame> {
  const count = await duckdbQuery('SELECT count(*) AS n FROM read_parquet($1)', [path]);
  return duckdbQuery('SELECT * FROM read_parquet($1)', [path], { expectedRows: count.numeric('n').values[0]! });
}

/** Reads a CSV through DuckDB's `read_csv` (auto-detected dialect and types) into a Frame: for very large files. */
export async function readCsvDuckdb(path: string, opts: { delimiter?: string; header?: boolean } = {}): Promise<Frame> {
  const args = [`${sqlString(path)}`];
  if (opts.delimiter !== undefined) args.push(`delim = ${sqlString(opts.delimiter)}`);
  if (opts.header !== undefined) args.push(`header = ${opts.header}`);
  return duckdbQuery(`SELECT * FROM read_csv(${args.join(', ')})`);
}

let tableSeq = 0;

/** Loads a Frame into a temporary DuckDB table (numeric -> DOUBLE, categorical -> VARCHAR); returns its name. */
export async function frameToDuckdb(frame: Frame, table = `reckon_frame_${++tableSeq}`): Promise<string> {
  const c = await connection();
  const defs = frame.columns.map((col) => `${sqlIdent(col.name)} ${col.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR'}`).join(', ');
  await c.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(table)} (${defs})`);
  const app = await c.createAppender(table);
  const cols = frame.columns;
  for (let r = 0; r < frame.nRows; r++) {
    for (let j = 0; j < cols.length; j++) {
      const col = cols[j]!;
      if (col.kind === 'numeric') {
        const v = col.values[r]!;
        if (Number.isNaN(v)) app.appendNull();
        else app.appendDouble(v);
      } else {
        const code = col.codes[r]!;
        if (code < 0) app.appendNull();
        else app.appendVarchar(col.dictionary[code]!);
      }
    }
    app.endRow();
  }
  app.closeSync();
  return table;
}

/** Writes a Frame as a Parquet file (zstd-compressed). */
export async function writeParquet(frame: Frame, path: string): Promise<void> {
  const c = await connection();
  const table = await frameToDuckdb(frame);
  try {
    await c.run(`COPY ${sqlIdent(table)} TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`);
  } catch (e) {
    throw wrapError(`COPY ... TO ${path}`, e);
  } finally {
    await c.run(`DROP TABLE IF EXISTS ${sqlIdent(table)}`);
  }
}
