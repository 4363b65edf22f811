/**
 * What other routes use to know who is asking: `learnerFromRequest` (a learner's session cookie),
 * `instructorFromRequest` (a Better Auth session) and `classInstructorFromRequest` (an instructor
 * of one class). Each returns null for anyone else; deciding what to refuse is the caller's.
 */
export {
  classInstructorFromRequest,
  instructorFromRequest,
  learnerFromRequest,
  type Instructor,
  type Learner,
} from './request.ts';
export { authContext } from './context.ts';
