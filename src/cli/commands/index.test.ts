import { describe, expect, it } from 'vitest';
import { commandEntries, loadCommands, subcommandOf } from './index.js';

const names = async (args: string[]) => (await loadCommands(['node', 'vigil', ...args])).map((c) => c.name);

describe('loadCommands', () => {
  it('loads only the named command when the command line names one', async () => {
    expect(await names(['ids', '-r', 'a.pcap'])).toEqual(['ids']);
    expect(await names(['--log-level', 'debug', 'query', 'select 1'])).toEqual(['query']);
    expect(await names(['ids', '--help'])).toEqual(['ids']);
  });

  it('loads every command, in help order, when no known command is named', async () => {
    const all = commandEntries.map((e) => e.name);
    expect(await names([])).toEqual(all);
    expect(await names(['--help'])).toEqual(all);
    expect(await names(['help', 'ids'])).toEqual(all);
    expect(await names(['idz'])).toEqual(all);
  });

  it('loads no command for --version', async () => {
    expect(await names(['--version'])).toEqual([]);
    expect(await names(['-V'])).toEqual([]);
  });

  it('gives each entry the command of its name', async () => {
    for (const e of commandEntries) expect((await e.load()).name).toBe(e.name);
  });
});

describe('subcommandOf', () => {
  it('skips global options and their values when finding the subcommand', () => {
    expect(subcommandOf(['node', 'vigil', '--config', 'ids', 'db', 'update'])).toBe('db');
    expect(subcommandOf(['node', 'vigil', '-V'])).toBeUndefined();
  });
});
