/** The classroom routes' suite (lib/server/classroom) on a throwaway PostgreSQL. */
import { classroomRouteSuite } from '../../../lib/server/classroom/classroom-routes.suite.ts';
import { openTestDatabase } from '../db/engines.ts';

classroomRouteSuite(() => openTestDatabase('postgres'));
