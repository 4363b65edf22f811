/** The LTI 1.3 claims of a launch's id_token that the tool reads, checked with zod. */
import { z } from 'zod';

export const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const DL_CLAIM = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

const nonEmpty = z.string().min(1);

/** The claims every launch carries (message type and version are checked before, on their own). */
export const launchClaims = z.object({
  sub: nonEmpty.optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  [`${LTI_CLAIM}deployment_id`]: nonEmpty,
  [`${LTI_CLAIM}roles`]: z.array(z.string()),
  [`${LTI_CLAIM}target_link_uri`]: z.url(),
  [`${LTI_CLAIM}context`]: z
    .object({ id: nonEmpty, label: z.string().optional(), title: z.string().optional() })
    .optional(),
  [`${LTI_CLAIM}resource_link`]: z
    .object({ id: nonEmpty, title: z.string().optional() })
    .optional(),
  [`${LTI_CLAIM}custom`]: z.record(z.string(), z.unknown()).optional(),
  [`${LTI_CLAIM}launch_presentation`]: z
    .object({ locale: z.string().optional(), document_target: z.string().optional() })
    .optional(),
  [AGS_CLAIM]: z
    .object({
      scope: z.array(z.string()),
      lineitems: z.url().optional(),
      lineitem: z.url().optional(),
    })
    .optional(),
  [NRPS_CLAIM]: z
    .object({ context_memberships_url: z.url(), service_versions: z.array(z.string()) })
    .optional(),
  [DL_CLAIM]: z
    .object({
      deep_link_return_url: z.url(),
      accept_types: z.array(z.string()),
      accept_multiple: z.boolean().optional(),
      data: z.string().optional(),
    })
    .optional(),
});

export type LaunchClaims = z.infer<typeof launchClaims>;

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
/** Context roles that teach; short names are LTI 1.3's deprecated simple forms. */
const TEACHING = new Set(
  ['Instructor', 'Administrator', 'ContentDeveloper', 'TeachingAssistant'].flatMap((r) => [
    r,
    MEMBERSHIP + r,
  ]),
);
const LEARNING = new Set(['Learner', MEMBERSHIP + 'Learner']);

/** What the tool makes of a launch's roles: teaching staff, a learner, or neither. */
export type LaunchRole = 'instructor' | 'learner' | 'other';

/** The role a launch signs in as: staff wins over learner (a TA is both). */
export function launchRole(roles: string[]): LaunchRole {
  // Sub-roles such as membership/Instructor#TeachingAssistant count as their principal role.
  const principal = roles.map((role) => role.replace(/^(.*membership)\/(\w+)#.*$/, '$1#$2'));
  if (principal.some((role) => TEACHING.has(role))) return 'instructor';
  if (principal.some((role) => LEARNING.has(role))) return 'learner';
  return 'other';
}
