/**
 * The LTI repository functions (registrations, deployments, login states) on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addLtiDeployment,
  createLtiRegistration,
  findLtiRegistration,
  isLtiDeployment,
  ltiRegistrationById,
  saveLtiLogin,
  takeLtiLogin,
  type Database,
} from '../../../lib/server/db/index.ts';
import { ENGINES, openTestDatabase } from './engines.ts';

const platform = {
  issuer: 'https://lms.example.org',
  authLoginUrl: 'https://lms.example.org/auth',
  authTokenUrl: 'https://lms.example.org/token',
  jwksUrl: 'https://lms.example.org/jwks',
};

describe.each(ENGINES)('LTI storage on %s', (engine) => {
  let database: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ database, cleanup } = await openTestDatabase(engine));
  });
  afterAll(() => cleanup());

  it('finds a registration by issuer, and by client id when the issuer has several', async () => {
    const one = await createLtiRegistration(database.db, {
      ...platform,
      clientId: 'client-1',
      deploymentIds: ['d1', 'd1', 'd2'],
    });
    expect(await findLtiRegistration(database.db, platform.issuer)).toEqual(one);
    expect(await ltiRegistrationById(database.db, one.id)).toEqual(one);
    const two = await createLtiRegistration(database.db, {
      ...platform,
      clientId: 'client-2',
      deploymentIds: [],
    });
    expect(await findLtiRegistration(database.db, platform.issuer)).toBeNull();
    expect(await findLtiRegistration(database.db, platform.issuer, 'client-2')).toEqual(two);
    expect(await findLtiRegistration(database.db, 'https://other.example')).toBeNull();
    await expect(
      createLtiRegistration(database.db, { ...platform, clientId: 'client-1', deploymentIds: [] }),
    ).rejects.toThrow();
  });

  it('knows which deployments a registration has', async () => {
    const registration = await createLtiRegistration(database.db, {
      ...platform,
      issuer: 'https://deployments.example',
      clientId: 'c',
      deploymentIds: ['d1'],
    });
    expect(await isLtiDeployment(database.db, registration.id, 'd1')).toBe(true);
    expect(await isLtiDeployment(database.db, registration.id, 'd2')).toBe(false);
    await addLtiDeployment(database.db, registration.id, 'd2');
    await addLtiDeployment(database.db, registration.id, 'd2');
    expect(await isLtiDeployment(database.db, registration.id, 'd2')).toBe(true);
  });

  it('gives a login state to one launch only, and never after it expired', async () => {
    const registration = await createLtiRegistration(database.db, {
      ...platform,
      issuer: 'https://logins.example',
      clientId: 'c',
      deploymentIds: [],
    });
    const login = { nonce: 'n-1', registrationId: registration.id };
    await saveLtiLogin(database.db, 'state-1', login, new Date(Date.now() + 60_000));
    expect(await takeLtiLogin(database.db, 'state-1')).toEqual(login);
    expect(await takeLtiLogin(database.db, 'state-1')).toBeNull();
    await saveLtiLogin(database.db, 'state-2', login, new Date(Date.now() - 1));
    expect(await takeLtiLogin(database.db, 'state-2')).toBeNull();
    expect(await takeLtiLogin(database.db, 'never-issued')).toBeNull();
  });
});
