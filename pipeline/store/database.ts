import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import type { Database } from "./schema.ts";
import { retryWhileBusy } from "./sqlite-busy.ts";

export type DialectName = "sqlite" | "postgres";

export interface DatabaseOptions {
  /** Where the embedded SQLite file lives (created if missing). */
  dataDir: string;
  /** A PostgreSQL URL; when given, the SQLite file is not used. */
  databaseUrl?: string;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * Destroys Kysely and the handle under it. Kysely's own destroy() is a
   * no-op when no query ran yet, which would leave the SQLite file (opened
   * eagerly, to fail fast) or the pool open.
   */
  close(): Promise<void>;
}

export const SQLITE_FILE_NAME = "vanthu.sqlite";

/** How long a SQLite writer waits for another process's write lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens Kysely over the embedded SQLite file `<dataDir>/vanthu.sqlite`, or
 * over PostgreSQL when a URL is given. Nothing is created in the database
 * here: `migrate()` does that.
 */
export function openDatabase(options: DatabaseOptions): OpenedDatabase {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
}

function openPostgres(url: string): OpenedDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose server went away emits 'error' on the pool; unhandled,
  // that would kill the process. The next query reports the outage instead.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    async close() {
      await db.destroy();
      if (!pool.ending && !pool.ended) await pool.end();
    },
  };
}

function openSqlite(dataDir: string): OpenedDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  const sqlite = new BetterSqlite3(file);
  // busy_timeout first: switching to WAL needs a lock another process may hold.
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // WAL: readers never block the writer (the server reads while workers write).
  // The switch can fail with SQLITE_BUSY without waiting when another process
  // switches the same fresh file at once; retryWhileBusy waits its turn.
  retryWhileBusy(() => sqlite.pragma("journal_mode = WAL"), SQLITE_BUSY_TIMEOUT_MS);
  // NORMAL is durable across application crashes with WAL; only a power cut
  // can lose the last commits, never corrupt the file.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: "sqlite",
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * SQLite with two changes to Kysely's stock dialect, both for several
 * processes (server, workers, CLI) sharing one file:
 *
 * - Transactions start with BEGIN IMMEDIATE. A deferred BEGIN takes the write
 *   lock only at the first write; if another process committed in between,
 *   WAL mode fails the upgrade with SQLITE_BUSY at once, without honouring
 *   busy_timeout. IMMEDIATE takes the lock up front and waits for it. Every
 *   transaction the store opens writes, so nothing is lost by it.
 * - Transactional DDL is declared supported (SQLite has it). Kysely then runs
 *   migrations inside one such transaction, which is the migration lock: the
 *   stock SQLite adapter has no lock at all, as it assumes one process.
 *
 * Within one process Kysely already serialises everything on the single
 * connection. Two Store objects on one file in one process would block each
 * other's event loop (better-sqlite3 waits synchronously), so open one.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
