import { describe, expect, it } from 'vitest';
import { AppError, BugError, defineErrorCodes, isAbortError, isAppError } from './errors.js';

describe('AppError', () => {
  it('carries a code, a cause and details, and serialises to {code, message, details}', () => {
    const cause = new Error('ENOENT');
    const e = new AppError('IO_ERROR', 'rules.txt: cannot read', { cause, details: { file: 'rules.txt' } });
    expect(e.code).toBe('IO_ERROR');
    expect(e.cause).toBe(cause);
    expect(isAppError(e)).toBe(true);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'IO_ERROR', message: 'rules.txt: cannot read', details: { file: 'rules.txt' } });
  });

  it('is not confused with a BugError or a plain Error', () => {
    expect(isAppError(new BugError('x'))).toBe(false);
    expect(isAppError(new Error('x'))).toBe(false);
  });
});

describe('defineErrorCodes', () => {
  it('refuses codes that are not SCREAMING_SNAKE_CASE', () => {
    expect(() => defineErrorCodes({ badCode: { summary: 's', action: 'a' } })).toThrow(BugError);
  });
});

describe('isAbortError', () => {
  it('recognises the error an aborted signal throws', () => {
    const ac = new AbortController();
    ac.abort();
    let caught: unknown;
    try {
      ac.signal.throwIfAborted();
    } catch (e) {
      caught = e;
    }
    expect(isAbortError(caught)).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});
