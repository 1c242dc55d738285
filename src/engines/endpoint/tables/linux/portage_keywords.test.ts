import { describe, expect, it } from 'vitest';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { keywordRows } from './portage_keywords.js';

describe('portage_keywords', () => {
  it('merges keywords, masks and unmasks by atom', () => {
    expect(keywordRows('=app-misc/foo-1.0 ~amd64\n# comment\ndev-util/bar\n', 'app-misc/baz\n=app-misc/foo-1.0\n', 'dev-util/bar\n')).toEqual([
      { package: 'app-misc/foo', version: '1.0', keyword: '~amd64', mask: 1, unmask: 0 },
      { package: 'dev-util/bar', version: '', keyword: '', mask: 0, unmask: 1 },
      { package: 'app-misc/baz', version: '', keyword: '', mask: 1, unmask: 0 },
    ]);
    expect(keywordRows(undefined, undefined, undefined)).toEqual([]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('portage_keywords', keywordRows('a/b ~x\n', '', '')[0]!)).toBe('');
  });
});
