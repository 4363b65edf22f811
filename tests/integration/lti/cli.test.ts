/** The registration command line against a real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findLtiRegistration,
  isLtiDeployment,
  type Database,
} from '../../../lib/server/db/index.ts';
import { publicOrigin } from '../../../lib/server/lti/app-context.ts';
import { runLtiCli } from '../../../lib/server/lti/cli.ts';
import { openTestDatabase } from '../db/engines.ts';

let database: Database;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ database, cleanup } = await openTestDatabase('sqlite'));
});
afterAll(() => cleanup());

const run = async (...argv: string[]) => {
  const lines: string[] = [];
  await runLtiCli(argv, database.db, (line) => lines.push(line));
  return lines;
};

describe('the LTI command line', () => {
  it('registers a platform, adds deployments and lists them', async () => {
    const issuer = 'https://moodle.example.edu';
    await run(
      'register',
      '--issuer',
      issuer,
      '--client-id',
      'abc',
      '--auth-login-url',
      `${issuer}/mod/lti/auth.php`,
      '--auth-token-url',
      `${issuer}/mod/lti/token.php`,
      '--jwks-url',
      `${issuer}/mod/lti/certs.php`,
      '--deployment-id',
      '1',
    );
    const registration = await findLtiRegistration(database.db, issuer);
    expect(registration).toMatchObject({ clientId: 'abc', jwksUrl: `${issuer}/mod/lti/certs.php` });
    await run('add-deployment', '--issuer', issuer, '--deployment-id', '2');
    expect(await isLtiDeployment(database.db, registration!.id, '2')).toBe(true);
    expect(await run('list')).toEqual([
      `${issuer}\tclient abc\tdeployment 1`,
      `${issuer}\tclient abc\tdeployment 2`,
    ]);
  });

  it('prints the URLs to give the platform, and refuses incomplete commands', async () => {
    expect(await run('urls', '--origin', 'https://hs.example.org')).toContain(
      'Initiate login URL (OIDC login): https://hs.example.org/api/lti/login',
    );
    await expect(run('register', '--issuer', 'https://x.example')).rejects.toThrow(/--client-id/);
    await expect(run('frobnicate')).rejects.toThrow(/usage/);
  });
});

describe('publicOrigin', () => {
  it("is the request's own origin when allowed, else the first allowed one", () => {
    const request = new Request('http://10.0.0.5:3000/api/lti/login');
    expect(publicOrigin(request, [])).toBe('http://10.0.0.5:3000');
    expect(publicOrigin(request, ['*'])).toBe('http://10.0.0.5:3000');
    expect(publicOrigin(request, ['https://hs.example.org'])).toBe('https://hs.example.org');
    expect(publicOrigin(request, ['https://a.example', 'http://10.0.0.5:3000'])).toBe(
      'http://10.0.0.5:3000',
    );
  });
});
