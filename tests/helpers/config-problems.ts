import { expect } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';

/** The problems of the ConfigError that `run` throws (it must throw no other error); none when it succeeds. */
export function configProblems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
}
