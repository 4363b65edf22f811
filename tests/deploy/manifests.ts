/**
 * Reads the Kubernetes manifests under deploy/k8s and validates them offline against the API
 * schemas of `kubernetes-models` (and `@kubernetes-models/keda` for KEDA's resources).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';

export const K8S_DIR = path.resolve('deploy/k8s');

/** One YAML document of a manifest file, with the file it came from. */
export interface Manifest {
  file: string;
  doc: Document.Parsed;
  object: {
    apiVersion: string;
    kind: string;
    metadata: {
      name: string;
      namespace?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  };
}

/** Every `.yaml` file under deploy/k8s, relative to it, sorted. */
export function manifestFiles(dir = K8S_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .sort();
}

/** Every YAML document of every manifest file (kustomization.yaml left out: it is not an API object). */
export function loadManifests(dir = K8S_DIR): Manifest[] {
  return manifestFiles(dir)
    .filter((file) => path.basename(file) !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
        return { file, doc: doc as Document.Parsed, object: doc.toJS() as Manifest['object'] };
      }),
    );
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

/** The module that holds the model of an apiVersion and kind (core types live under `v1`). */
function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.endsWith('keda.sh/v1alpha1'))
    return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The model class for a manifest's apiVersion and kind; throws for a kind no schema knows. */
export async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const models = (await import(modelModule(apiVersion, kind))) as Record<string, ModelClass>;
  const model = models[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model;
}

/** Validates one object against its API schema; throws the schema's errors when it is invalid. */
export async function validateObject(object: Manifest['object']): Promise<void> {
  const Model = await modelFor(object.apiVersion, object.kind);
  new Model(object).validate();
}
