import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DialectName } from "./database.ts";

/**
 * The only places where SQLite and PostgreSQL differ for the store. Every
 * query is written once with Kysely's builder; these helpers cover what the
 * builder cannot hide.
 */

/** Which dialect a Kysely instance (or a transaction of one) talks to. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * An append-only integer key that grows in insertion order: SQLite needs
 * INTEGER PRIMARY KEY AUTOINCREMENT (so ids are never reused), PostgreSQL an
 * identity column.
 */
export function autoIncrementId(dialect: DialectName) {
  return dialect === "postgres"
    ? { type: "integer" as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey().generatedByDefaultAsIdentity() }
    : { type: "integer" as const, build: (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement() };
}

/**
 * A unique or primary-key violation, which a racing writer causes: the caller
 * retries its transaction and reads what the other one wrote. better-sqlite3
 * reports `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY`, pg SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * `column LIKE '%needle%'` with the needle's own % and _ taken literally.
 * Both dialects accept an explicit ESCAPE; PostgreSQL's LIKE is
 * case-sensitive, so callers compare already-folded text.
 */
export function containsText(column: Expression<string>, needle: string): Expression<SqlBool> {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}
