import { execFileSync } from 'node:child_process';

/**
 * Why tests on a veth pair in a network namespace cannot run here, or undefined when they can:
 * they need root, iproute2 and tcpdump (CI runs them as root with both installed).
 *
 * @example
 * const missing = liveCaptureMissing('live capture tests');
 * describe.skipIf(missing)('...', () => { ... });
 */
export function liveCaptureMissing(what: string): string | undefined {
  if (process.getuid?.() !== 0) return `skipped: ${what} need root (CI runs them as root)`;
  for (const tool of ['ip', 'tcpdump']) {
    try {
      execFileSync(tool, tool === 'ip' ? ['-V'] : ['--version'], { stdio: 'ignore' });
    } catch {
      return `skipped: ${what} need ${tool} (apt-get install ${tool === 'ip' ? 'iproute2' : 'tcpdump'})`;
    }
  }
  return undefined;
}

/** A veth pair with one end in its own network namespace, each end with an address in one /24. */
export interface VethPair {
  readonly ns: string;
  readonly hostIf: string;
  readonly nsIf: string;
  readonly hostIp: string;
  readonly nsIp: string;
  /** Creates the namespace and the pair, addresses both ends and brings them up. */
  setUp(): void;
  /** Deletes the pair and the namespace; tolerates either being gone already (or never made). */
  tearDown(): void;
}

/**
 * Names and addresses derived from the process id and a per-test `tag`, so test files running at the
 * same time (and two runs of the suite) never collide; `net` is the second octet of the 10.x.y.0/24.
 *
 * @example
 * const veth = vethPair('vg', 213);
 * beforeAll(() => veth.setUp());
 * afterAll(() => veth.tearDown());
 */
export function vethPair(tag: string, net: number, salt = 0): VethPair {
  const id = String((process.pid + salt) % 100000);
  const octet = 10 + ((process.pid + salt) % 200);
  const ns = `${tag}ns${id}`;
  const hostIf = `${tag}${id}a`;
  const nsIf = `${tag}${id}b`;
  const hostIp = `10.${net}.${octet}.1`;
  const nsIp = `10.${net}.${octet}.2`;
  const ip = (...args: string[]): void => {
    execFileSync('ip', args, { stdio: 'ignore', timeout: 10_000 });
  };
  const quietly = (f: () => void): void => {
    try {
      f();
    } catch {
      // already gone (the namespace takes its end of the pair with it), or never created
    }
  };
  return {
    ns,
    hostIf,
    nsIf,
    hostIp,
    nsIp,
    setUp() {
      ip('netns', 'add', ns);
      ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
      ip('link', 'set', nsIf, 'netns', ns);
      ip('addr', 'add', `${hostIp}/24`, 'dev', hostIf);
      ip('link', 'set', hostIf, 'up');
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
    },
    tearDown() {
      quietly(() => ip('link', 'del', hostIf));
      quietly(() => ip('netns', 'del', ns));
    },
  };
}
