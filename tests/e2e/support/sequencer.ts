/**
 * The e2e files share one app server and its database, so they run one at a time and, here, in
 * the order of their names: classroom-accounts must meet the server's first run (no instructor
 * yet) before classroom-dashboard signs in as that instructor. Vitest's own order (failed, then
 * slow, then large files first) is kept for every other project.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export class E2eByNameSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isE2e = (file: TestSpecification) => file.project.name === 'e2e';
    const e2e = sorted.filter(isE2e).sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    let next = 0;
    return sorted.map((file) => (isE2e(file) ? e2e[next++]! : file));
  }
}
