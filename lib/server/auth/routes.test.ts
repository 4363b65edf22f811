/** The auth and class routes on SQLite (tests/integration/auth runs the same on PostgreSQL). */
import { classRouteSuite } from './class-routes.suite.ts';
import { instructorRouteSuite } from './instructor-routes.suite.ts';
import { openSqliteForTest } from './test-support.ts';

instructorRouteSuite(openSqliteForTest);
classRouteSuite(openSqliteForTest);
