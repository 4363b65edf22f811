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
/** The certificate and key of the learner's own TLS server (when a tls-client tests it). */
export const SERVER_CERT_FILE_NAME = 'server.pem';
export const SERVER_KEY_FILE_NAME = 'server.key';

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
  /**
   * The certificate (for localhost, signed by the run's CA) and key of the learner's own TLS
   * server, when a `tls-client` peer tests one: /app/server.pem and /app/server.key.
   */
  learnerServer?: LeafPem;
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

/** Makes a fresh set of certificates for one run (with a learner's server's, if asked). */
export async function makeRunPki(options: { learnerServer?: boolean } = {}): Promise<RunPki> {
  const [ca, rogue] = await Promise.all([makeCa('Handshake run CA'), makeCa('Impostor CA')]);
  const [trusted, wrongHost, untrusted, learnerServer] = await Promise.all([
    makeLeaf(ca, TLS_HOSTNAME, true),
    makeLeaf(ca, WRONG_HOSTNAME, false),
    makeLeaf(rogue, TLS_HOSTNAME, true),
    options.learnerServer ? makeLeaf(ca, TLS_HOSTNAME, true) : undefined,
  ]);
  return {
    caCert: ca.cert.toString('pem'),
    leaves: { trusted, 'wrong-host': wrongHost, untrusted },
    ...(learnerServer && { learnerServer }),
  };
}

/** The certificates a run of `plan` needs, or undefined when none of its peers speaks TLS. */
export async function pkiForPlan(plan: ReadonlyArray<PlannedPeer>): Promise<RunPki | undefined> {
  if (!planUsesTls(plan)) return undefined;
  const learnerServer = plan.some((planned) => planned.peer?.peer === 'tls-client');
  return makeRunPki({ learnerServer });
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

/** A planned process as far as certificates care: which peer it is, if one. */
type PlannedPeer = { peer?: { peer: string } };

/** True when a run of `plan` needs certificates: one of its peers speaks TLS. */
export function planUsesTls(plan: ReadonlyArray<PlannedPeer>): boolean {
  return plan.some((planned) => TLS_PEERS.has(planned.peer?.peer ?? ''));
}

const TLS_PEERS: ReadonlySet<string> = new Set(['tls-server', 'tls-client']);

/** The read-only files a tls-server presenting `kind` gets: its certificate and its key. */
export function peerTlsFiles(pki: RunPki, kind: CertificateKind): DataFile[] {
  const leaf = pki.leaves[kind];
  return [
    { path: `${PEER_TLS_DIR}/cert.pem`, content: leaf.cert },
    { path: `${PEER_TLS_DIR}/key.pem`, content: leaf.key },
  ];
}

/** The run's CA certificate as a tls-client trusts it: the only CA it knows. */
export function peerCaFile(pki: RunPki): DataFile {
  return { path: `${PEER_TLS_DIR}/ca.pem`, content: pki.caCert };
}

/**
 * What the learner's programs see of the run's certificates, read-only beside their files:
 * /app/ca.pem, and, when their own server is tested, its certificate and key.
 */
export function learnerTlsFiles(pki: RunPki): DataFile[] {
  const files = [{ path: `/app/${CA_FILE_NAME}`, content: pki.caCert }];
  if (pki.learnerServer)
    files.push(
      { path: `/app/${SERVER_CERT_FILE_NAME}`, content: pki.learnerServer.cert },
      { path: `/app/${SERVER_KEY_FILE_NAME}`, content: pki.learnerServer.key },
    );
  return files;
}
