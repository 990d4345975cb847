/** Texts whose answer a test keeps (all are forgotten when it is full): a field's distinct values, or more. */
export const KEPT_TEXTS = 1_024;
/** Longer texts (descriptions, notes) are rarely repeated, and are not kept. */
export const KEPT_LENGTH = 200;

/**
 * A test of a text that keeps its answer for the last KEPT_TEXTS short texts it was asked about. The fields a
 * policy reads hold few distinct values across many people (a portal's form names, job titles, countries, a lead
 * source), and working an answer out (running a pattern's automaton, making a value's comparable form) is most of
 * what classifying a person costs. The test must depend on the text only, so that a kept answer is the one it gives.
 */
export function keepingAnswers(test: (text: string) => boolean): (text: string) => boolean {
  const answers = new Map<string, boolean>();
  return (text) => {
    if (text.length > KEPT_LENGTH) return test(text);
    const known = answers.get(text);
    if (known !== undefined) return known;
    const answer = test(text);
    if (answers.size >= KEPT_TEXTS) answers.clear();
    answers.set(text, answer);
    return answer;
  };
}
