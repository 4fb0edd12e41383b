import type { CountyDb, Queryable } from '../../db/types';

/**
 * A CountyDb whose transaction() runs inside an already open transaction. Lets the console call the county services
 * (recordDecision, setPolicyStandard …), which open their own transaction, so that their effect and the audit entry
 * describing it commit together or not at all. A failure inside rolls back the outer transaction.
 */
export function inTransaction(tx: Queryable, kind: CountyDb['kind']): CountyDb {
  return {
    kind,
    query: (sql, params) => tx.query(sql, params),
    lookup: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
}
