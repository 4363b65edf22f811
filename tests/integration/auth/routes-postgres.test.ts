/** The auth and class routes' suites (lib/server/auth/*.suite.ts) on a throwaway PostgreSQL. */
import { classRouteSuite } from '../../../lib/server/auth/class-routes.suite.ts';
import { instructorRouteSuite } from '../../../lib/server/auth/instructor-routes.suite.ts';
import { openTestDatabase } from '../db/engines.ts';

const openPostgres = () => openTestDatabase('postgres');

instructorRouteSuite(openPostgres);
classRouteSuite(openPostgres);
