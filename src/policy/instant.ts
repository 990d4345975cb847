let lastText: string | undefined;
let lastTime = Number.NaN;

/**
 * `Date.parse`, keeping the last answer: a classification reads a person's last activity twice in a row (a
 * `withinDays` rule, then the score's decay), and parsing it is a good part of what either costs.
 */
export function timeOf(text: string): number {
  if (text !== lastText) {
    lastTime = Date.parse(text);
    lastText = text;
  }
  return lastTime;
}
