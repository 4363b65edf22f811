/**
 * The certificates of one run's TLS peers, made by the host (never by learner code) where the
 * run's sandbox is made — warm or cold — and dropped with it, so no two runs share a key.
 *
 * Each run gets a fresh certificate authority whose certificate the learner's program receives
 * as /app/ca.pem, and a leaf per variant a `tls-server` peer may present:
 * - `trusted`: signed by the run's CA, valid for `localhost` and 127.0.0.1;
 * - `wrong-host`: signed by the run's CA too, but naming another host (a valid chain, the
 *   wrong name: only the hostname check refuses it);
 * - `untrusted`: valid for `localhost`, signed by a second CA the learner does not have.
 * Keys are ECDSA P-256 made with Node's WebCrypto; peers receive PEM text only.
 */
// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { DataFile } from '../jail/etc-files.ts';

/** What a `tls-server` may present. */
export type CertificateKind = 'trusted' | 'wrong-host' | 'untrusted';
export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['trusted', 'wrong-host', 'untrusted'];

/** The name every trusted certificate is for: what the learner passes as server_hostname. */
export const TLS_HOSTNAME = 'localhost';
/** The name the wrong-host certificate is for (`.invalid` never resolves: RFC 6761). */
export const WRONG_HOSTNAME = 'impostor.invalid';
/** The file the learner's program reads the run's CA from, beside its own files in /app. */
export const CA_FILE_NAME = 'ca.pem';

/** A certificate (PEM, with the chain a server sends: leaf only here) and its private key. */
export interface LeafPem {
  cert: string;
  key: string;
}

/** One run's certificates, all PEM. */
export interface RunPki {
  /** The run's CA certificate: the only trust anchor the learner gets. */
  caCert: string;
  leaves: Record<CertificateKind, LeafPem>;
}

const ALGORITHM: EcKeyGenParams & EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};
/** Certificates live an hour either side of now: a run lasts seconds, clocks may differ a bit. */
const VALIDITY_MS = 60 * 60 * 1000;

x509.cryptoProvider.set(webcrypto as Crypto);

interface Issuer {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** Makes a fresh set of certificates for one run. */
export async function makeRunPki(): Promise<RunPki> {
  const [ca, rogue] = await Promise.all([makeCa('Handshake run CA'), makeCa('Impostor CA')]);
  const [trusted, wrongHost, untrusted] = await Promise.all([
    makeLeaf(ca, TLS_HOSTNAME, true),
    makeLeaf(ca, WRONG_HOSTNAME, false),
    makeLeaf(rogue, TLS_HOSTNAME, true),
  ]);
  return {
    caCert: ca.cert.toString('pem'),
    leaves: { trusted, 'wrong-host': wrongHost, untrusted },
  };
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - VALIDITY_MS), notAfter: new Date(now + VALIDITY_MS) };
}

function serialNumber(): string {
  // Positive (leading bit clear) and random: two runs never reuse a serial by accident.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function makeCa(name: string): Promise<Issuer> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${name}`,
    ...validity(),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function makeLeaf(issuer: Issuer, host: string, withLoopback: boolean): Promise<LeafPem> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const names: x509.JsonGeneralName[] = [{ type: 'dns', value: host }];
  if (withLoopback) names.push({ type: 'ip', value: '127.0.0.1' });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${host}`,
    issuer: issuer.cert.subject,
    ...validity(),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** Where a tls-server finds what it presents (sandbox-server/peers/tls-server.ts reads them). */
const PEER_TLS_DIR = '/peer/tls';

/** True when a run of `plan` needs certificates: one of its peers speaks TLS. */
export function planUsesTls(plan: ReadonlyArray<{ peer?: { peer: string } }>): boolean {
  return plan.some((planned) => planned.peer?.peer === 'tls-server');
}

/** The read-only files a tls-server presenting `kind` gets: its certificate and its key. */
export function peerTlsFiles(pki: RunPki, kind: CertificateKind): DataFile[] {
  const leaf = pki.leaves[kind];
  return [
    { path: `${PEER_TLS_DIR}/cert.pem`, content: leaf.cert },
    { path: `${PEER_TLS_DIR}/key.pem`, content: leaf.key },
  ];
}

/** The run's CA certificate as the learner's programs see it: /app/ca.pem, read-only. */
export function learnerCaFile(pki: RunPki): DataFile {
  return { path: `/app/${CA_FILE_NAME}`, content: pki.caCert };
}
