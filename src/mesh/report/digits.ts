/**
 * Thousands separators without `Intl`: the first `toLocaleString` of a process loads ICU's
 * locale data, ~40 ms of a `cusp inspect` that otherwise prints nothing locale-dependent.
 */

/** `n` with commas between groups of three digits, as `n.toLocaleString('en-US')` writes an integer. */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
