/**
 * Wraps a Kysely dialect so every failure of the database itself (connect, begin, query, commit)
 * surfaces as a DatabaseUnavailable naming where the database is, while query errors (a unique
 * key taken, a bad column) pass through untouched for the repository functions to handle.
 */
import { CompiledQuery } from 'kysely';
import type {
  AbortableOperationOptions,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { asUnavailable } from './errors.ts';

/** Runs `work`, rethrowing an unavailable database as DatabaseUnavailable. */
async function guard<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asUnavailable(error, where);
  }
}

class GuardedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly where: string;

  constructor(inner: DatabaseConnection, where: string) {
    this.inner = inner;
    this.where = where;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return guard(this.where, () => this.inner.executeQuery<R>(query));
  }

  streamQuery<R>(
    query: CompiledQuery,
    chunkSize: number,
    options?: AbortableOperationOptions,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize, options);
  }
}

/** How the wrapped driver opens a transaction: SQLite takes the write lock up front. */
export type BeginStatement = 'default' | 'begin immediate';

class GuardedDriver implements Driver {
  readonly inner: Driver;
  readonly where: string;
  readonly begin: BeginStatement;
  readonly #wrapped = new WeakMap<DatabaseConnection, GuardedConnection>();

  constructor(inner: Driver, where: string, begin: BeginStatement) {
    this.inner = inner;
    this.where = where;
    this.begin = begin;
  }

  init(): Promise<void> {
    return guard(this.where, () => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await guard(this.where, () => this.inner.acquireConnection());
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped)
      this.#wrapped.set(connection, (wrapped = new GuardedConnection(connection, this.where)));
    return wrapped;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = (connection as GuardedConnection).inner;
    // A deferred SQLite transaction that reads and then writes fails at once with SQLITE_BUSY when
    // another writer got there first; taking the lock at BEGIN lets busy_timeout wait instead.
    if (this.begin === 'begin immediate')
      return guard(this.where, async () => {
        await inner.executeQuery(CompiledQuery.raw('begin immediate'));
      });
    return guard(this.where, () => this.inner.beginTransaction(inner, settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(this.where, () =>
      this.inner.commitTransaction((connection as GuardedConnection).inner),
    );
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(this.where, () =>
      this.inner.rollbackTransaction((connection as GuardedConnection).inner),
    );
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as GuardedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `inner` with its errors mapped, its adapter optionally replaced and its BEGIN chosen. */
export class GuardedDialect implements Dialect {
  readonly inner: Dialect;
  readonly where: string;
  readonly options: { adapter?: DialectAdapter; begin?: BeginStatement };

  constructor(
    inner: Dialect,
    where: string,
    options: { adapter?: DialectAdapter; begin?: BeginStatement } = {},
  ) {
    this.inner = inner;
    this.where = where;
    this.options = options;
  }

  createDriver(): Driver {
    return new GuardedDriver(
      this.inner.createDriver(),
      this.where,
      this.options.begin ?? 'default',
    );
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.options.adapter ?? this.inner.createAdapter();
  }

  // Kysely<any> is the Dialect interface's own signature.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}
