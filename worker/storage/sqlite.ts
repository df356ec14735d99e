/** Small reads of the Durable Object's SQLite that never create anything. */

/** Whether a table exists: an unknown document id must leave no trace, so code that
 * only looks never runs CREATE TABLE. */
export function tableExists(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
}
