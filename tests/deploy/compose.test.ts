import { readFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';

const doc = parseDocument(readFileSync('deploy/compose.yaml', 'utf8'), { merge: true });
interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  user?: string;
  privileged?: boolean;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  cgroup?: string;
  environment?: Record<string, string>;
}
const compose = doc.toJS() as { services: Record<string, Service> };
const { app, sandbox, postgres } = compose.services;

describe('deploy/compose.yaml', () => {
  it('parses, and has the app, the sandbox server and PostgreSQL from one image', () => {
    expect(doc.errors).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'sandbox']);
    expect(app!.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(sandbox!.image).toBe(app!.image);
    expect(postgres!.image).toMatch(/^postgres:/);
  });

  it('the app runs as nobody, read-only, with no capability and no privilege escalation', () => {
    expect(app).toMatchObject({
      user: '65534:65534',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(app!.privileged).toBeUndefined();
  });

  it('only the sandbox is privileged, in its own cgroup namespace, with a comment saying why', () => {
    const privileged = Object.entries(compose.services).filter(([, s]) => s.privileged);
    expect(privileged.map(([name]) => name)).toEqual(['sandbox']);
    expect(sandbox).toMatchObject({ user: '0:0', cgroup: 'private' });
    const service = doc.getIn(['services', 'sandbox'], true);
    expect(isMap(service)).toBe(true);
    for (const key of ['user', 'privileged', 'cgroup']) {
      const pair = (service as { items: { key: unknown }[] }).items.find(
        (item) => isScalar(item.key) && item.key.value === key,
      );
      const comment = (pair?.key as { commentBefore?: string | null } | undefined)?.commentBefore;
      expect(comment?.length ?? 0, `a comment before ${key}`).toBeGreaterThan(30);
    }
  });

  it('the app and the sandbox share the secret and the allowed origins; the sandbox listens beyond loopback', () => {
    expect(app!.environment!.HANDSHAKE_SECRET).toBe(sandbox!.environment!.HANDSHAKE_SECRET);
    expect(app!.environment!.HANDSHAKE_ALLOWED_ORIGINS).toBe(
      sandbox!.environment!.HANDSHAKE_ALLOWED_ORIGINS,
    );
    expect(sandbox!.environment!.HANDSHAKE_SANDBOX_HOST).toBe('0.0.0.0');
    expect(app!.environment!.HANDSHAKE_DATABASE_URL).toMatch(/@postgres:5432\/handshake$/);
  });
});
