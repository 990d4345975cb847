import safeRegex from 'safe-regex2';

/** Long patterns are hard to review and slow to check; real title or campaign patterns are far shorter. */
export const MAX_PATTERN_LENGTH = 200;

/** Why a `matches` pattern cannot be used, or undefined when it is safe to run on every record. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')}`;
  }
  if (!safeRegex(pattern))
    return 'unsafe regular expression: nested repetition can take exponential time (catastrophic backtracking)';
  return undefined;
}
