/**
 * Registering LMS platforms from the command line (the database of HANDSHAKE_DATABASE_URL or
 * HANDSHAKE_DATA_DIR, as the app opens it):
 *
 *   node lib/server/lti/cli.ts register --issuer URL --client-id ID --auth-login-url URL \
 *     --auth-token-url URL --jwks-url URL [--deployment-id ID]...
 *   node lib/server/lti/cli.ts add-deployment --issuer URL [--client-id ID] --deployment-id ID
 *   node lib/server/lti/cli.ts list
 *   node lib/server/lti/cli.ts urls --origin https://handshake.example.org
 */
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import {
  addLtiDeployment,
  createLtiRegistration,
  findLtiRegistration,
  openDatabase,
  type Schema,
} from '../db/index.ts';

const OPTIONS = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'auth-login-url': { type: 'string' },
  'auth-token-url': { type: 'string' },
  'jwks-url': { type: 'string' },
  'deployment-id': { type: 'string', multiple: true },
  origin: { type: 'string' },
} as const;

/** The URLs a platform asks for when Handshake is added as a tool. */
export function toolUrls(origin: string): Record<string, string> {
  const at = (path: string) => new URL(path, origin).href;
  return {
    'Tool URL / target link URI': at('/en'),
    'Initiate login URL (OIDC login)': at('/api/lti/login'),
    'Redirect URI (launch)': at('/api/lti/launch'),
    'Public keyset URL (JWKS)': at('/api/lti/jwks'),
    'Deep Linking URL': at('/api/lti/launch'),
  };
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required`);
  return value;
}

/** Runs one command against `db`, writing what it did to `out`; throws on a usage error. */
export async function runLtiCli(
  argv: string[],
  db: Kysely<Schema>,
  out: (line: string) => void,
): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
  });
  const command = positionals[0];
  if (command === 'register') {
    const registration = await createLtiRegistration(db, {
      issuer: required(values, 'issuer'),
      clientId: required(values, 'client-id'),
      authLoginUrl: new URL(required(values, 'auth-login-url')).href,
      authTokenUrl: new URL(required(values, 'auth-token-url')).href,
      jwksUrl: new URL(required(values, 'jwks-url')).href,
      deploymentIds: values['deployment-id'] ?? [],
    });
    out(
      `registered ${registration.issuer} (client ${registration.clientId}) as ${registration.id}`,
    );
  } else if (command === 'add-deployment') {
    const registration = await findLtiRegistration(
      db,
      required(values, 'issuer'),
      values['client-id'],
    );
    if (!registration) throw new Error('no single registration has this issuer (and client id)');
    for (const id of values['deployment-id'] ?? []) await addLtiDeployment(db, registration.id, id);
    out(`deployments added to ${registration.issuer} (client ${registration.clientId})`);
  } else if (command === 'list') {
    const rows = await db
      .selectFrom('lti_registrations')
      .leftJoin('lti_deployments', 'lti_deployments.registration_id', 'lti_registrations.id')
      .select(['issuer', 'client_id', 'deployment_id'])
      .orderBy('issuer')
      .execute();
    for (const row of rows)
      out(`${row.issuer}\tclient ${row.client_id}\tdeployment ${row.deployment_id ?? '-'}`);
  } else if (command === 'urls') {
    for (const [what, url] of Object.entries(toolUrls(required(values, 'origin'))))
      out(`${what}: ${url}`);
  } else {
    throw new Error('usage: npm run lti -- register | add-deployment | list | urls (docs/lti.md)');
  }
}

/** The command line: opens the app's database, runs the command, answers an exit code. */
async function main(argv: string[]): Promise<number> {
  const database = await openDatabase();
  try {
    await runLtiCli(argv, database.db, (line) => console.log(line));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  } finally {
    await database.close();
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
