import { describe, expect, it } from 'vitest';
import { formatRows, formatValue, type OutputMode } from './format.js';

function render(mode: OutputMode, columns: string[], rows: (string | bigint | number | null)[][]): string {
  let s = '';
  const f = formatRows(mode, columns, (x) => (s += x));
  for (const r of rows) f.row(r);
  f.end();
  return s;
}

// Expected texts are osqueryi 5.20's own output for the same rows.
describe('osqueryi output shapes', () => {
  it('prints JSON with sorted keys and every value a string, NULL as ""', () => {
    expect(render('json', ['pid', 'name', 'parent'], [[1n, 'process_api', 0n], [2n, null, 3.5]])).toBe(
      '[\n  {"name":"process_api","parent":"0","pid":"1"},\n  {"name":"","parent":"3.5","pid":"2"}\n]\n',
    );
    expect(render('json', ['a'], [])).toBe('[\n\n]\n');
  });

  it('prints REAL values the way SQLite does', () => {
    expect(formatValue(1)).toBe('1.0');
    expect(formatValue(2.5)).toBe('2.5');
    expect(formatValue(9223372036854775807n)).toBe('9223372036854775807');
    expect(formatValue(Buffer.from('A'))).toBe('A');
  });

  it('prints a bordered, left-aligned pretty table', () => {
    expect(render('pretty', ['pid', 'name'], [[1n, 'process_api'], [10n, 'kworker/0:0H-events_highpri']])).toBe(
      [
        '+-----+-----------------------------+',
        '| pid | name                        |',
        '+-----+-----------------------------+',
        '| 1   | process_api                 |',
        '| 10  | kworker/0:0H-events_highpri |',
        '+-----+-----------------------------+',
        '',
      ].join('\n'),
    );
  });

  it('streams a pretty table past its buffer with the widths seen so far', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => [BigInt(i)]);
    const out = render('pretty', ['n'], many);
    const lines = out.split('\n');
    expect(lines[0]).toBe('+------+');
    expect(lines[3]).toBe('| 0    |');
    expect(lines.at(-3)).toBe('| 10000 |');
    expect(lines.at(-2)).toBe('+------+');
  });

  it('prints line, csv and list modes', () => {
    expect(render('line', ['pid', 'name'], [[1n, 'a'], [10n, 'b']])).toBe('  pid = 1\n name = a\n\n  pid = 10\n name = b\n');
    expect(render('line', ['a', 'bb'], [[1n, 'x']])).toBe('    a = 1\n   bb = x\n');
    expect(render('csv', ['pid', 'name'], [[1n, 'a']])).toBe('pid|name\n1|a\n');
    expect(render('csv', ['x', 'y', 'z', 'w', 'n'], [['a,b', 'c d', 'a|b', '', null]])).toBe('x|y|z|w|n\na,b|"c d"|"a|b"|""|\n');
    expect(render('csv', ['q'], [['q"']])).toBe('q\n"q"""\n');
    expect(render('list', ['x', 'y', 'n'], [['a|b', 'q"', null]])).toBe('x|y|n\na|b|q"|\n');
  });
});
