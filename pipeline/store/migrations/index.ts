import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { Kysely } from "kysely";
import { initial } from "./0001_initial.ts";
import { tasksOutbox } from "./0002_tasks_outbox.ts";
import { review } from "./0003_review.ts";

/**
 * Every migration, in order of their names. Static imports rather than
 * Kysely's FileMigrationProvider: nothing depends on the working directory,
 * on .ts files being importable at run time, or on a bundler keeping files.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_tasks_outbox": tasksOutbox,
  "0003_review": review,
};

/** The migrations' names in the order they apply. */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS).sort();

const provider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

/**
 * Brings the schema to the latest migration; a no-op when it is there.
 * Concurrent callers are serialised by Kysely's migration lock: a PostgreSQL
 * advisory lock, and on SQLite our BEGIN IMMEDIATE transaction (database.ts).
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed} failed: ${reason}` : `migration failed: ${reason}`, { cause: error });
  }
}
