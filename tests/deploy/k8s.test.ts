import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  K8S_DIR,
  loadManifests,
  manifestFiles,
  validateObject,
  type Manifest,
} from './manifests.ts';

const manifests = loadManifests();

/** The one object of this kind and name. */
function find(kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.object.kind === kind && m.object.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0]!;
}

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key: string; effect: string }[];
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown[] } };
}

function podSpec(m: Manifest): PodSpec {
  return (m.object as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

const workloads = manifests.filter((m) =>
  ['Deployment', 'DaemonSet', 'StatefulSet'].includes(m.object.kind),
);
const app = find('Deployment', 'handshake-app');
const sandbox = find('Deployment', 'handshake-sandbox');

describe('deploy/k8s: every manifest against the Kubernetes API schemas', () => {
  it.each(manifests.map((m) => [`${m.file} ${m.object.kind}/${m.object.metadata.name}`, m]))(
    '%s is valid',
    async (_name, m) => {
      await expect(validateObject(m.object)).resolves.toBeUndefined();
    },
  );

  it('refuses an invalid object (the validator really checks)', async () => {
    const broken = structuredClone(app.object) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    await expect(validateObject(broken as unknown as Manifest['object'])).rejects.toThrow(
      /replicas/,
    );
  });

  it('knows no schema for a made-up kind', async () => {
    await expect(
      validateObject({ apiVersion: 'apps/v1', kind: 'Deploymint', metadata: { name: 'x' } }),
    ).rejects.toThrow();
  });

  it('kustomization.yaml lists every manifest file, and only existing ones', () => {
    const kustomization = parse(readFileSync(path.join(K8S_DIR, 'kustomization.yaml'), 'utf8'));
    const listed = [...(kustomization.resources as string[])].sort();
    expect(listed).toEqual(manifestFiles().filter((f) => f !== 'kustomization.yaml'));
  });

  it('has the parts a class needs', () => {
    const kinds = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace/handshake',
        'Namespace/handshake-sandbox',
        'Service/handshake-app',
        'Service/handshake-sandbox',
        'Ingress/handshake-app',
        'Ingress/handshake-sandbox',
        'PodDisruptionBudget/handshake-app',
        'PodDisruptionBudget/handshake-sandbox',
        'HorizontalPodAutoscaler/handshake-app',
        'ScaledObject/handshake-sandbox',
      ]),
    );
  });
});

describe('deploy/k8s: security settings', () => {
  it('the app runs as non-root on a read-only root file system, with no privilege at all', () => {
    const spec = podSpec(app);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      expect(c.securityContext, c.name).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('the app namespace enforces Pod Security "restricted"; only the sandbox namespace allows privilege', () => {
    const labels = (name: string) => find('Namespace', name).object.metadata.labels ?? {};
    expect(labels('handshake')['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels('handshake-sandbox')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(app.object.metadata.namespace).toBe('handshake');
    expect(sandbox.object.metadata.namespace).toBe('handshake-sandbox');
  });

  it('only the sandbox container is privileged, root, unconfined', () => {
    const privileged = workloads.flatMap((w) =>
      podSpec(w)
        .containers.filter((c) => c.securityContext?.privileged === true)
        .map((c) => `${w.object.metadata.name}/${c.name}`),
    );
    expect(privileged).toEqual(['handshake-sandbox/sandbox']);
    expect(podSpec(sandbox).containers[0]!.securityContext).toMatchObject({
      privileged: true,
      runAsUser: 0,
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
    });
  });

  it('the sandbox runs only on the tainted pool, one per node, without the node namespaces or API credentials', () => {
    const spec = podSpec(sandbox);
    expect(spec.nodeSelector).toEqual({ 'handshake.dev/pool': 'sandbox' });
    expect(spec.tolerations).toEqual([
      { key: 'handshake.dev/sandbox', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    const antiAffinity =
      spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    expect(antiAffinity).toMatchObject([{ topologyKey: 'kubernetes.io/hostname' }]);
    expect(spec).toMatchObject({
      automountServiceAccountToken: false,
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
    });
  });

  it('no other workload tolerates the sandbox taint', () => {
    const tolerating = workloads.filter((w) =>
      (podSpec(w).tolerations ?? []).some((t) => t.key === 'handshake.dev/sandbox'),
    );
    expect(tolerating.map((w) => w.object.metadata.name)).toEqual(['handshake-sandbox']);
  });

  it('says why next to each of the sandbox privileges', () => {
    const context = sandbox.doc.getIn(
      ['spec', 'template', 'spec', 'containers', 0, 'securityContext'],
      true,
    );
    expect(isMap(context)).toBe(true);
    const items = (context as { commentBefore?: string; items: { key: unknown }[] }).items;
    for (const key of ['runAsUser', 'privileged', 'seccompProfile', 'appArmorProfile']) {
      const index = items.findIndex((item) => isScalar(item.key) && item.key.value === key);
      expect(index, key).toBeGreaterThanOrEqual(0);
      // The YAML library keeps a map's first comment on the map itself.
      const owner = index === 0 ? context : items[index]!.key;
      const comment = (owner as { commentBefore?: string | null }).commentBefore ?? '';
      expect(comment.length, `a comment before ${key}`).toBeGreaterThan(30);
    }
  });
});

describe('deploy/k8s: operations', () => {
  it.each(workloads.map((w) => [w.object.metadata.name, w]))(
    '%s: requests, memory limit and /healthz, /readyz probes',
    (_name, w) => {
      for (const c of podSpec(w).containers) {
        expect(c.resources?.requests).toMatchObject({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(c.resources?.limits?.memory).toEqual(expect.any(String));
        expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      }
    },
  );

  it('every workload has a PodDisruptionBudget selecting it', () => {
    const labels = (w: Manifest) =>
      (w.object as unknown as { spec: { selector: { matchLabels: object } } }).spec.selector
        .matchLabels;
    for (const w of workloads) {
      const pdbs = manifests.filter(
        (m) =>
          m.object.kind === 'PodDisruptionBudget' &&
          m.object.metadata.namespace === w.object.metadata.namespace,
      );
      expect(pdbs.map(labels), w.object.metadata.name).toContainEqual(labels(w));
    }
  });

  it('the sandbox scales on busy slots and queue depth, and ahead of a class at 9:00', () => {
    const scaled = find('ScaledObject', 'handshake-sandbox').object as unknown as {
      spec: {
        scaleTargetRef: { name: string };
        triggers: { type: string; metadata: Record<string, string> }[];
      };
    };
    expect(scaled.spec.scaleTargetRef.name).toBe('handshake-sandbox');
    const byType = Object.fromEntries(scaled.spec.triggers.map((t) => [t.type, t.metadata]));
    expect(byType.prometheus!.query).toMatch(/handshake_sandbox_slots_busy/);
    expect(byType.prometheus!.query).toMatch(/handshake_sandbox_queue_waiting/);
    expect(byType.cron).toMatchObject({ start: expect.stringMatching(/^\d+ 8 /) });
  });

  it('routes /ws and /capture to the sandbox and everything else to the app, with no controller-specific annotations', () => {
    const paths = (name: string) =>
      (
        find('Ingress', name).object as unknown as {
          spec: {
            rules: {
              http: { paths: { path: string; backend: { service: { name: string } } }[] };
            }[];
          };
        }
      ).spec.rules.flatMap((r) => r.http.paths.map((p) => `${p.path} → ${p.backend.service.name}`));
    expect(paths('handshake-app')).toEqual(['/ → handshake-app']);
    expect(paths('handshake-sandbox')).toEqual([
      '/ws → handshake-sandbox',
      '/capture → handshake-sandbox',
    ]);
    for (const m of manifests.filter((m) => m.object.kind === 'Ingress')) {
      expect(Object.keys(m.object.metadata.annotations ?? {})).toEqual([]);
    }
  });
});
