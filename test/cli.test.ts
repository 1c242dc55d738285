import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, BugError } from '../src/core/errors.js';
import { reportError } from '../src/cli/main.js';
import { repoRoot } from './support/shared.js';

const bin = join(repoRoot, 'bin/vigil.js');
const built = existsSync(join(repoRoot, 'dist/cli/main.js'));

function vigil(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_LOG_LEVEL: '' } });
}

describe.skipIf(!built)('vigil binary (needs `npm run build`)', () => {
  it('prints help with the global options', () => {
    const r = vigil('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--log-level');
    expect(r.stdout).toContain('--config');
  });

  it('prints the package version', () => {
    const r = vigil('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('reports an unknown option as `vigil: ... [USAGE]` with exit code 2', () => {
    const r = vigil('--no-such-option');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vigil: unknown option '--no-such-option' \[USAGE\]$/m);
  });

  it('reports an invalid --log-level value', () => {
    const r = vigil('--log-level', 'loud', '--help');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/vigil: .*loud.* \[USAGE\]/);
  });
});

describe('CLI error boundary', () => {
  function capture(e: unknown, debug: boolean) {
    let text = '';
    const code = reportError(e, debug, (s) => (text += s));
    return { code, text };
  }

  it('prints an AppError as `vigil: <message> [CODE]` without a stack', () => {
    const r = capture(new AppError('IO_ERROR', 'rules.txt: cannot read'), false);
    expect(r.code).toBe(1);
    expect(r.text).toBe('vigil: rules.txt: cannot read [IO_ERROR]\n');
  });

  it('adds the stack trace only at debug level', () => {
    const r = capture(new AppError('IO_ERROR', 'x'), true);
    expect(r.text).toContain('at ');
  });

  it('gives usage errors exit code 2', () => {
    expect(capture(new AppError('USAGE', 'missing argument'), false).code).toBe(2);
  });

  it('labels a bug as INTERNAL and points to --log-level debug', () => {
    const r = capture(new BugError('cursor out of range'), false);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^vigil: internal error \(a bug in Vigil\): cursor out of range \[INTERNAL\]$/m);
    expect(r.text).toContain('--log-level debug');
    expect(r.text).not.toContain('    at ');
  });

  it('treats cancellation as cancellation, not failure', () => {
    const ac = new AbortController();
    ac.abort();
    expect(capture(ac.signal.reason, false).code).toBe(130);
  });
});
