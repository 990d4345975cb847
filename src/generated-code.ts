/**
 * A function made from JavaScript source that crm-bridge writes itself when it compiles a mapping or a policy, or
 * undefined when it cannot be made; the caller then runs the closures it compiled anyway.
 *
 * Why generate code at all: a mapper or a policy compiled to closures runs one small function per field or per
 * condition, through call sites that see dozens of different closures and records of many shapes, so V8 can
 * neither inline the calls nor read a field at a known place. The same steps written out as one function per
 * object or per rule run in a fraction of the time (classifying 100k people: 420 ms as closures, 260 ms generated).
 *
 * Why this runs no code from a config or a record: the source holds only what the caller writes in it (operators,
 * numbers, and names quoted with `JSON.stringify`, which always gives one string literal); every other value a
 * config or a policy holds (literals, patterns, value maps) is handed to the function as an argument. It does not
 * exist when Node runs with `--disallow-code-generation-from-strings` (an EvalError), nor when the source nests too
 * deeply for V8's parser (a RangeError, for a condition thousands of levels deep): the closures serve then.
 */
export function generatedFunction<F>(
  parameters: readonly string[],
  body: string,
  ...values: readonly unknown[]
): F | undefined {
  try {
    return new Function(...parameters, body)(...values) as F;
  } catch (error) {
    if (error instanceof EvalError || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** A string literal of `text` for generated source. */
export function quoted(text: string): string {
  return JSON.stringify(text);
}
