import { describe, expect, it } from 'vitest';
import { BugError } from './errors.js';
import { createRegistry } from './registry.js';

describe('createRegistry', () => {
  it('looks entries up by name and keeps the listed order', () => {
    const r = createRegistry('option', [{ name: 'ttl' }, { name: 'content' }]);
    expect(r.get('content')).toEqual({ name: 'content' });
    expect(r.has('ttl')).toBe(true);
    expect(r.get('nope')).toBeUndefined();
    expect(r.names()).toEqual(['ttl', 'content']);
    expect(r.size).toBe(2);
  });

  it('refuses a duplicate name at construction', () => {
    expect(() => createRegistry('table', [{ name: 'processes' }, { name: 'processes' }])).toThrow(BugError);
    expect(() => createRegistry('table', [{ name: 'processes' }, { name: 'processes' }])).toThrow(/duplicate name "processes"/);
  });

  it('refuses an entry without a name', () => {
    expect(() => createRegistry('source', [{ name: '' }])).toThrow(/has no name/);
  });
});
