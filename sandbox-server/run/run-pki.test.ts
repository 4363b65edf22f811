import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../plan/validate.ts';
import { processSpec, type RunContext } from './process-spec.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import { peerConfig } from '../peers/catalog.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import {
  CA_FILE_NAME,
  TLS_HOSTNAME,
  WRONG_HOSTNAME,
  makeRunPki,
  pkiForPlan,
  planUsesTls,
  type CertificateKind,
  type RunPki,
} from './run-pki.ts';

/** What a real TLS client makes of `kind`, given only the run's CA: connected, or the reason. */
async function connectWith(pki: RunPki, kind: CertificateKind): Promise<string> {
  const server = tls.createServer(pki.leaves[kind], (socket) => socket.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve) => {
      const socket = tls.connect({
        port,
        host: '127.0.0.1',
        servername: TLS_HOSTNAME,
        ca: pki.caCert,
      });
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  } finally {
    server.close();
  }
}

describe('per-run certificates', () => {
  let pki: RunPki;
  beforeAll(async () => {
    pki = await makeRunPki();
  });

  it('signs the trusted leaf with the run CA, for localhost and 127.0.0.1', () => {
    const ca = new X509Certificate(pki.caCert);
    const leaf = new X509Certificate(pki.leaves.trusted.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost(TLS_HOSTNAME)).toBe(TLS_HOSTNAME);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
  });

  it('gives each leaf the private key of its own certificate (EC P-256)', () => {
    for (const kind of ['trusted', 'wrong-host', 'untrusted'] as const) {
      const { cert, key } = pki.leaves[kind];
      const privateKey = createPrivateKey(key);
      expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
      const fromCert = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
      expect(fromKey.equals(fromCert)).toBe(true);
    }
  });

  it('lets a client that trusts only ca.pem connect to the trusted leaf', async () => {
    expect(await connectWith(pki, 'trusted')).toBe('connected');
  });

  it('fails the wrong-host leaf on its name: its chain is valid', async () => {
    const ca = new X509Certificate(pki.caCert);
    const leaf = new X509Certificate(pki.leaves['wrong-host'].cert);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost(TLS_HOSTNAME)).toBeUndefined();
    expect(leaf.checkHost(WRONG_HOSTNAME)).toBe(WRONG_HOSTNAME);
    expect(await connectWith(pki, 'wrong-host')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('fails the untrusted leaf on its issuer: right name, a CA the learner lacks', async () => {
    const ca = new X509Certificate(pki.caCert);
    const leaf = new X509Certificate(pki.leaves.untrusted.cert);
    expect(leaf.checkHost(TLS_HOSTNAME)).toBe(TLS_HOSTNAME);
    expect(leaf.checkIssued(ca)).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(false);
    // OpenSSL's words for "no trusted issuer in the store" (the leaf is the whole chain here).
    expect(await connectWith(pki, 'untrusted')).toMatch(
      /^UNABLE_TO_(GET_ISSUER_CERT_LOCALLY|VERIFY_LEAF_SIGNATURE)$/,
    );
  });

  it('never shares a key or a CA between two runs', async () => {
    const other = await makeRunPki();
    expect(other.caCert).not.toBe(pki.caCert);
    const keys = (set: RunPki): string[] => Object.values(set.leaves).map((leaf) => leaf.key);
    const all = [...keys(pki), ...keys(other)];
    expect(new Set(all).size).toBe(all.length);
    // A leaf of one run does not verify under another run's CA.
    const leaf = new X509Certificate(other.leaves.trusted.cert);
    expect(leaf.verify(new X509Certificate(pki.caCert).publicKey)).toBe(false);
  });
});

describe('where the certificates go', () => {
  const files = [{ name: 'client.py', content: 'print(1)\n' }];
  const tlsPeer = (certificate: CertificateKind): PlannedProcess => ({
    name: 'peer:tls',
    kind: 'peer',
    label: 'peer: tls',
    peer: peerConfig({ peer: 'tls-server', port: 8443, options: { certificate } }),
  });
  const learner: PlannedProcess = {
    name: 'client.py',
    kind: 'learner',
    label: 'client.py',
    file: 'client.py',
  };
  let context: RunContext;
  beforeAll(async () => {
    context = {
      netnsPath: '/run/netns/x',
      learnerUid: 1,
      peerUid: 2,
      limits: DEFAULT_LIMITS,
      files,
      peerBundle: '// bundle',
      pki: await makeRunPki(),
    };
  });

  it('is needed only by a plan with a tls-server', () => {
    expect(planUsesTls([learner])).toBe(false);
    expect(planUsesTls([tlsPeer('trusted'), learner])).toBe(true);
  });

  it('gives the learner the CA certificate only, read-only in /app', () => {
    const spec = processSpec(learner, context);
    const ca = spec.dataFiles.find((file) => file.path === `/app/${CA_FILE_NAME}`);
    expect(ca?.content).toBe(context.pki!.caCert);
    expect(spec.dataFiles.some((file) => file.content.includes('PRIVATE KEY'))).toBe(false);
    expect(spec.command.join(' ')).not.toContain('PRIVATE');
  });

  it('gives a tls-server the leaf of its kind as files, never on its command line', () => {
    const spec = processSpec(tlsPeer('wrong-host'), context);
    const byPath = new Map(spec.dataFiles.map((file) => [file.path, file.content]));
    expect(byPath.get('/peer/tls/cert.pem')).toBe(context.pki!.leaves['wrong-host'].cert);
    expect(byPath.get('/peer/tls/key.pem')).toBe(context.pki!.leaves['wrong-host'].key);
    expect(spec.command.join(' ')).not.toContain('PRIVATE KEY');
  });

  it("gives the learner its own server's certificate and key only when a tls-client tests it", async () => {
    const names = (pki: RunPki | undefined) =>
      processSpec(learner, { ...context, pki })
        .dataFiles.map((file) => file.path)
        .filter((path) => path.startsWith('/app/') && !path.endsWith('.py'));
    expect(names(context.pki)).toEqual(['/app/ca.pem']);
    const client: PlannedProcess = {
      ...tlsPeer('trusted'),
      peer: peerConfig({ peer: 'tls-client', port: 9443 }),
    };
    const served = await pkiForPlan([learner, client]);
    expect(names(served)).toEqual(['/app/ca.pem', '/app/server.pem', '/app/server.key']);
    const cert = new X509Certificate(served!.learnerServer!.cert);
    expect(cert.checkIssued(new X509Certificate(served!.caCert))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    // The tls-client gets the CA it trusts, and no key.
    const peerFiles = processSpec(client, { ...context, pki: served }).dataFiles;
    expect(peerFiles.find((f) => f.path === '/peer/tls/ca.pem')?.content).toBe(served!.caCert);
    expect(peerFiles.some((f) => f.content.includes('PRIVATE KEY'))).toBe(false);
    expect(await pkiForPlan([learner])).toBeUndefined();
  });

  it('gives the learner no ca.pem in a run without TLS', () => {
    const spec = processSpec(learner, { ...context, pki: undefined });
    expect(spec.dataFiles.some((file) => file.path.endsWith(CA_FILE_NAME))).toBe(false);
  });

  it('refuses a learner file named ca.pem: the name is the run CA’s', () => {
    expect(() => validateFiles([{ name: CA_FILE_NAME, content: 'x' }])).toThrow();
  });
});
