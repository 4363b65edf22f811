import { describe, expect, it } from 'vitest';
import { launchRole } from './claims.ts';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

describe('launchRole', () => {
  it('makes teaching staff instructors, whatever else they are', () => {
    expect(launchRole([`${M}Instructor`])).toBe('instructor');
    expect(launchRole([`${M}Learner`, `${M}ContentDeveloper`])).toBe('instructor');
    expect(
      launchRole([
        'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
      ]),
    ).toBe('instructor');
    expect(launchRole(['Instructor'])).toBe('instructor');
    expect(launchRole([`${M}TeachingAssistant`])).toBe('instructor');
    expect(launchRole([`${M}Administrator`])).toBe('instructor');
  });

  it('makes learners learners, and anyone else neither', () => {
    expect(launchRole([`${M}Learner`])).toBe('learner');
    expect(launchRole(['Learner'])).toBe('learner');
    expect(launchRole(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'])).toBe(
      'other',
    );
    expect(launchRole([])).toBe('other');
  });
});
