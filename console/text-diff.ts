/** One line of a diff: kept, removed or added. */
export interface DiffLine {
  readonly kind: 'same' | 'del' | 'add';
  readonly text: string;
  /** The line's number in the old file (kept and removed lines) or the new one (added lines). */
  readonly line: number;
}

/**
 * The lines that differ between two texts, each with `context` unchanged lines around it (a longest common
 * subsequence of lines; config files are a few hundred lines, so the quadratic table is small). `…` rows stand for
 * the unchanged lines left out.
 */
export function lineDiff(before: string, after: string, context = 2): (DiffLine | 'gap')[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Common head and tail first: an edit touches a few lines of a long file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (table[i] as number[])[j] =
        midA[i] === midB[j]
          ? ((table[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((table[i + 1] as number[])[j] as number, (table[i] as number[])[j + 1] as number);
  const all: DiffLine[] = a.slice(0, head).map((text, i) => ({ kind: 'same', text, line: i + 1 }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      all.push({ kind: 'same', text: midA[i] as string, line: head + i + 1 });
      i++;
      j++;
    } else if (
      i < n &&
      (j === m || ((table[i + 1] as number[])[j] as number) >= ((table[i] as number[])[j + 1] as number))
    ) {
      all.push({ kind: 'del', text: midA[i] as string, line: head + i + 1 });
      i++;
    } else {
      all.push({ kind: 'add', text: midB[j] as string, line: head + j + 1 });
      j++;
    }
  }
  a.slice(a.length - tail).forEach((text, k) => {
    all.push({ kind: 'same', text, line: a.length - tail + k + 1 });
  });
  const keep = all.map((_d, k) =>
    all.slice(Math.max(0, k - context), k + context + 1).some((near) => near.kind !== 'same'),
  );
  const out: (DiffLine | 'gap')[] = [];
  all.forEach((d, k) => {
    if (keep[k]) out.push(d);
    else if (out.at(-1) !== 'gap') out.push('gap');
  });
  if (out.at(-1) === 'gap') out.pop();
  return out;
}
