/**
 * The tool's own signing key (RS256, as LTI 1.3 requires): from HANDSHAKE_LTI_PRIVATE_KEY (a
 * PKCS#8 PEM) when set, else made once into `<dataDir>/lti-key.json` (mode 0600). Platforms
 * fetch its public half from the tool's JWKS to check Deep Linking responses and client
 * assertions.
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
} from 'jose';

/** Name of the generated key inside the data dir. */
export const LTI_KEY_FILE = 'lti-key.json';
export const LTI_ALG = 'RS256';

/** The tool's key: the private key to sign with, and the public JWK (with its kid) to publish. */
export interface ToolKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Where the key comes from: the environment's PEM, else the data dir's file. */
export interface ToolKeySource {
  pem?: string | undefined;
  dataDir: string;
}

/** The tool's key from `source.pem` when set, else from (a newly made) `<dataDir>/lti-key.json`. */
export async function loadToolKey(source: ToolKeySource): Promise<ToolKey> {
  const pem = source.pem?.trim();
  if (pem) {
    const key = await importPKCS8(pem, LTI_ALG, { extractable: true });
    return toolKeyFromPrivateJwk(await exportJWK(key));
  }
  return toolKeyFromPrivateJwk(await ensureKeyFile(source.dataDir));
}

/** The tool's public keys as served at its JWKS URL. */
export function toolJwks(key: ToolKey): { keys: JWK[] } {
  return { keys: [key.publicJwk] };
}

async function toolKeyFromPrivateJwk(jwk: JWK): Promise<ToolKey> {
  if (jwk.kty !== 'RSA' || !jwk.d) throw new Error('the LTI key must be a private RSA key');
  const publicPart: JWK = { kty: 'RSA', n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicPart);
  const privateKey = (await importJWK({ ...jwk, alg: LTI_ALG }, LTI_ALG)) as CryptoKey;
  return { kid, privateKey, publicJwk: { ...publicPart, kid, alg: LTI_ALG, use: 'sig' } };
}

/**
 * Returns the private JWK of `<dataDir>/lti-key.json`, making it first when missing. Written
 * under a temporary name and linked into place, so when replicas start at once exactly one key
 * wins and every replica signs with it.
 */
async function ensureKeyFile(dataDir: string): Promise<JWK> {
  const file = path.join(dataDir, LTI_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(LTI_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(jwk));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKeyFile(file) ?? jwk;
}

function readKeyFile(file: string): JWK | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file} is not a readable LTI key: ${(error as Error).message}`);
  }
}
