/**
 * The schema validators accept fields they do not know, so a misspelt field — say
 * `allowPrivilegeEscalaton: false` — would pass them and be dropped by the API server, silently
 * leaving the default. Here every manifest becomes a typed object literal of its kind's
 * interface (kubernetes-models' .d.ts) and the TypeScript compiler's excess-property check finds
 * every field the API does not have, at any depth.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadManifests, type Manifest } from './manifests.ts';

/** The module whose .d.ts declares the interface of a manifest's kind. */
function typesModule({ apiVersion, kind }: Manifest['object']): string {
  if (apiVersion.endsWith('keda.sh/v1alpha1'))
    return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** A TypeScript module declaring each object as a constant of its kind's interface. */
function typedSource(objects: Array<Manifest['object']>): string {
  return objects
    .flatMap((object, i) => [
      `import type { I${object.kind} as T${i} } from '${typesModule(object)}';`,
      `export const o${i}: T${i} = ${JSON.stringify(object)};`,
    ])
    .join('\n');
}

/** The compiler's complaints about `objects`, one line each: object index and message. */
function unknownFields(objects: Array<Manifest['object']>): string[] {
  const file = path.resolve('tests/deploy/__manifests__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(file, typedSource(objects), ts.ScriptTarget.ES2022, true);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (name === file ? source : original(name, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    return `object ${Math.floor(line / 2)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

const manifests = loadManifests();

describe('deploy/k8s: no field the Kubernetes API does not have', () => {
  it('every manifest uses only known fields, at every depth', () => {
    const found = unknownFields(manifests.map((m) => m.object));
    const named = found.map((problem) => {
      const index = Number(/^object (\d+)/.exec(problem)?.[1]);
      const m = manifests[index];
      return m ? `${m.file} ${m.object.kind}/${m.object.metadata.name}: ${problem}` : problem;
    });
    expect(named).toEqual([]);
  }, 60_000);

  it('would catch a misspelt security field (the check really checks)', () => {
    const deployment = manifests.find((m) => m.object.kind === 'Deployment')!.object;
    const misspelt = JSON.parse(
      JSON.stringify(deployment).replace('"allowPrivilegeEscalation"', '"allowPrivilegeEscalaton"'),
    ) as Manifest['object'];
    expect(unknownFields([misspelt]).join('\n')).toMatch(/allowPrivilegeEscalaton/);
  }, 60_000);
});
