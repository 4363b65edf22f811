/**
 * The mock platform's services, as a real one checks them: the token endpoint verifies the
 * tool's client assertion (signature against the tool's JWKS, iss = sub = client id, aud = the
 * token URL, single-use jti) and grants only the scopes it offers; AGS line items (filtered by
 * resource_id) and scores, NRPS memberships paged with Link rel="next", each behind a bearer
 * token carrying the right scope.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

/** A line item as the platform keeps it, with the scores posted to it. */
export interface MockLineItem {
  id: string;
  label: string;
  resourceId?: string;
  scoreMaximum: number;
  tag?: string;
  scores: Array<Record<string, unknown>>;
}

/** A course member as NRPS lists it. */
export interface MockMember {
  user_id: string;
  roles: string[];
  name?: string;
  given_name?: string;
  status?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export class MockServices {
  readonly origin: string;
  readonly clientId: string;
  /** Where the tool's public keys are (set once the tool runs). */
  toolJwksUrl = '';
  readonly lineItems: MockLineItem[] = [];
  readonly members: MockMember[] = [];
  /** Members per NRPS page. */
  pageSize = 2;
  /** The next N score posts answer 503 (a platform down for a while). */
  failScores = 0;
  /** Deep Linking responses received (their verified claims), and refused ones (why). */
  readonly deepLinks: Array<Record<string, unknown>> = [];
  readonly deepLinkRefusals: string[] = [];
  /** Token requests granted, and refused (with why). */
  readonly tokensIssued: string[][] = [];
  readonly tokenRefusals: string[] = [];
  private readonly tokens = new Map<string, string[]>();
  private readonly jtis = new Set<string>();

  constructor(origin: string, clientId: string) {
    this.origin = origin;
    this.clientId = clientId;
  }

  /** The AGS and NRPS claims of a launch. */
  launchClaims(): Record<string, unknown> {
    return {
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
        scope: [`${AGS}lineitem`, `${AGS}result.readonly`, `${AGS}score`],
        lineitems: `${this.origin}/courses/42/lineitems`,
      },
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
        context_memberships_url: `${this.origin}/courses/42/memberships`,
        service_versions: ['2.0'],
      },
    };
  }

  /** Whether `path` is one of the services'. */
  handles(path: string): boolean {
    return path === '/token' || path === '/deep-link-return' || path.startsWith('/courses/');
  }

  /** Answers a service request. */
  async answer(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: string,
  ): Promise<Answer> {
    if (url.pathname === '/token' && method === 'POST') return this.token(body);
    if (url.pathname === '/deep-link-return' && method === 'POST') return this.deepLinkReturn(body);
    const scopes = this.tokens.get((headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!scopes) return json(401, { error: 'invalid_token' });
    const path = url.pathname;
    if (path === '/courses/42/lineitems')
      return this.lineItemsAnswer(method, url, scopes, headers, body);
    const scores = /^\/courses\/42\/lineitems\/(\d+)\/scores$/.exec(path);
    if (scores && method === 'POST') return this.score(Number(scores[1]), scopes, headers, body);
    if (path === '/courses/42/memberships' && method === 'GET')
      return this.memberships(url, scopes);
    return json(404, { error: 'not found' });
  }

  private async token(body: string): Promise<Answer> {
    const form = new URLSearchParams(body);
    try {
      if (form.get('grant_type') !== 'client_credentials') throw new Error('grant_type');
      if (
        form.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      )
        throw new Error('client_assertion_type');
      const { payload } = await jwtVerify(
        form.get('client_assertion') ?? '',
        createRemoteJWKSet(new URL(this.toolJwksUrl)),
        {
          issuer: this.clientId,
          subject: this.clientId,
          audience: `${this.origin}/token`,
          algorithms: ['RS256'],
        },
      );
      if (!payload.jti || this.jtis.has(payload.jti)) throw new Error('jti reused');
      this.jtis.add(payload.jti);
    } catch (error) {
      this.tokenRefusals.push((error as Error).message);
      return json(401, { error: 'invalid_client' });
    }
    const offered = [`${AGS}lineitem`, `${AGS}lineitem.readonly`, `${AGS}score`, NRPS_SCOPE];
    const granted = (form.get('scope') ?? '').split(' ').filter((s) => offered.includes(s));
    const token = randomBytes(12).toString('hex');
    this.tokens.set(token, granted);
    this.tokensIssued.push(granted);
    return json(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: granted.join(' '),
    });
  }

  /** The Deep Linking return URL: the tool's response JWT, checked as a platform checks it. */
  private async deepLinkReturn(body: string): Promise<Answer> {
    try {
      const { payload } = await jwtVerify(
        new URLSearchParams(body).get('JWT') ?? '',
        createRemoteJWKSet(new URL(this.toolJwksUrl)),
        {
          issuer: this.clientId,
          audience: this.origin,
          algorithms: ['RS256'],
          requiredClaims: ['iat', 'exp'],
        },
      );
      this.deepLinks.push(payload);
      return { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>added</p>' };
    } catch (error) {
      this.deepLinkRefusals.push((error as Error).message);
      return json(400, { error: 'bad JWT' });
    }
  }

  private lineItemsAnswer(
    method: string,
    url: URL,
    scopes: string[],
    headers: IncomingHttpHeaders,
    body: string,
  ): Answer {
    if (method === 'GET') {
      if (!scopes.some((s) => s.startsWith(`${AGS}lineitem`))) return json(403, { error: 'scope' });
      const resourceId = url.searchParams.get('resource_id');
      const items = this.lineItems.filter(
        (i) => resourceId === null || i.resourceId === resourceId,
      );
      return json(
        200,
        items.map(({ scores: _, ...item }) => item),
        {
          'content-type': 'application/vnd.ims.lis.v2.lineitemcontainer+json',
        },
      );
    }
    if (!scopes.includes(`${AGS}lineitem`)) return json(403, { error: 'scope' });
    if (headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json')
      return json(415, { error: 'content type' });
    const input = JSON.parse(body) as Omit<MockLineItem, 'id' | 'scores'>;
    const item: MockLineItem = {
      ...input,
      id: `${this.origin}/courses/42/lineitems/${this.lineItems.length + 1}`,
      scores: [],
    };
    this.lineItems.push(item);
    const { scores: _, ...shown } = item;
    return json(201, shown, { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' });
  }

  private score(n: number, scopes: string[], headers: IncomingHttpHeaders, body: string): Answer {
    if (!scopes.includes(`${AGS}score`)) return json(403, { error: 'scope' });
    if (headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json')
      return json(415, { error: 'content type' });
    if (this.failScores > 0) {
      this.failScores--;
      return json(503, { error: 'try later' });
    }
    const item = this.lineItems[n - 1];
    if (!item) return json(404, { error: 'no line item' });
    item.scores.push(JSON.parse(body) as Record<string, unknown>);
    return { status: 204, headers: {}, body: '' };
  }

  private memberships(url: URL, scopes: string[]): Answer {
    if (!scopes.includes(NRPS_SCOPE)) return json(403, { error: 'scope' });
    const page = Number(url.searchParams.get('page') ?? '1');
    const members = this.members.slice((page - 1) * this.pageSize, page * this.pageSize);
    const more = page * this.pageSize < this.members.length;
    const next = `${this.origin}/courses/42/memberships?page=${page + 1}`;
    return json(
      200,
      { id: url.href, context: { id: 'course-42', title: 'Networks 101' }, members },
      {
        'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
        ...(more ? { link: `<${next}>; rel="next"` } : {}),
      },
    );
  }
}

/** A member with a context role. */
export function member(userId: string, role: 'Learner' | 'Instructor', name?: string): MockMember {
  return {
    user_id: userId,
    roles: [`${MEMBERSHIP}${role}`],
    status: 'Active',
    ...(name ? { name } : {}),
  };
}
