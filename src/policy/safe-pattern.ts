import { RE2JS, RE2JSSyntaxException } from 're2js';
import { keepingAnswers } from './kept-answers.ts';

/** Long patterns are hard to review and slow to check; real title or campaign patterns are far shorter. */
export const MAX_PATTERN_LENGTH = 200;

/** Whether a `matches` pattern matches somewhere in the text. */
export type TextPattern = (text: string) => boolean;

/**
 * Compiles a pattern that passed patternProblem. It runs on RE2's automata rather than JavaScript's backtracking
 * RegExp, so its time grows linearly with the text whatever the pattern: `(a|aa)+$` cannot stall a sync. Running
 * the automaton was a third of a classification's time, so the pattern keeps its answers (see keepingAnswers).
 */
export function compilePattern(pattern: string): TextPattern {
  const compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  return keepingAnswers((text) => compiled.test(text));
}

const NO_LOOKAROUNDS =
  'patterns run on RE2, which matches in linear time and has no backreferences or lookarounds';

/**
 * Constructs of JavaScript regular expressions that RE2 cannot express, told by the parse error RE2 gives for them,
 * so that the admin reads which construct to rewrite rather than RE2's view of a malformed pattern.
 */
const UNSUPPORTED: readonly { readonly name: string; readonly error: string; readonly token: RegExp }[] = [
  { name: 'backreference', error: 'invalid escape sequence', token: /^\\(?:[1-9]|k)/ },
  { name: 'lookahead', error: 'invalid or unsupported Perl syntax', token: /^\(\?[=!]/ },
  { name: 'lookbehind', error: 'invalid named capture', token: /^\(\?<[=!]/ },
];

/** Why a `matches` pattern cannot be used, or undefined when it compiles. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  try {
    // Without the case flag: RE2JS writes it into the pattern as `(?i)`, which would then show in messages.
    RE2JS.compile(pattern);
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException))
      return `invalid regular expression: ${(error as Error).message}`;
    const input = error.input ?? '';
    for (const { name, error: refusal, token } of UNSUPPORTED) {
      const found = refusal === error.error ? token.exec(input) : null;
      if (found !== null) return `unsupported regular expression: ${name} "${found[0]}"; ${NO_LOOKAROUNDS}`;
    }
    return `invalid regular expression: ${error.error}${error.input === null ? '' : `: "${error.input}"`}`;
  }
  return undefined;
}
