/**
 * CVSS v3.0/v3.1 base scores from vector strings (FIRST's specification, section 7.1), for feeds
 * that give a vector without a score (OSV). v2 and v4 vectors are kept without computing.
 */

const W: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input, free of float noise. */
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/**
 * The base score of a CVSS v3.x vector, or undefined when the vector is not a complete v3 vector.
 *
 * @example cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') // 9.8
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const m: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const [k, v] = p.split(':');
    if (k && v) m[k] = v;
  }
  const scope = m.S;
  if (scope !== 'U' && scope !== 'C') return undefined;
  const pr = scope === 'U' ? { N: 0.85, L: 0.62, H: 0.27 }[m.PR ?? ''] : { N: 0.85, L: 0.68, H: 0.5 }[m.PR ?? ''];
  const av = W.AV![m.AV ?? ''];
  const ac = W.AC![m.AC ?? ''];
  const ui = W.UI![m.UI ?? ''];
  const c = W.C![m.C ?? ''];
  const i = W.I![m.I ?? ''];
  const a = W.A![m.A ?? ''];
  if ([pr, av, ac, ui, c, i, a].some((x) => x === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  return scope === 'U' ? roundup(Math.min(impact + exploitability, 10)) : roundup(Math.min(1.08 * (impact + exploitability), 10));
}

/** The qualitative rating of a score (CVSS v3 table 14). */
export function cvssRating(score: number): 'none' | 'low' | 'medium' | 'high' | 'critical' {
  return score === 0 ? 'none' : score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
}
