/** The classroom routes on SQLite (tests/integration/classroom runs the same on PostgreSQL). */
import { openSqliteForTest } from '../auth/test-support.ts';
import { classroomRouteSuite } from './classroom-routes.suite.ts';

classroomRouteSuite(openSqliteForTest);
