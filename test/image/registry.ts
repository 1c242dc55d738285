/**
 * A real Registry HTTP API v2 server for tests: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1 with its own storage, images pushed with skopeo; and a bearer-token gate in front of it
 * that implements the token protocol (WWW-Authenticate challenge -> GET realm?service&scope -> token).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './fixtures.js';

/** Why registry tests must skip, or undefined. */
export function registryToolsMissing(): string | undefined {
  for (const [tool, arg] of [
    ['docker-registry', '--version'],
    ['skopeo', '--version'],
  ] as const) {
    try {
      execFileSync(tool, [arg], { stdio: 'ignore' });
    } catch {
      return `skipped: ${tool} is not installed (apt-get install docker-registry skopeo)`;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestRegistry {
  /** host:port */
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts docker-registry on a free loopback port with a private storage directory. */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = tempDir('vigil-registry-');
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: error}',
      'storage:',
      `  filesystem: {rootdirectory: ${join(dir, 'data')}}`,
      '  delete: {enabled: true}',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`http://${host}/v2/`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 100 || child.exitCode !== null) {
      child.kill();
      throw new Error(`docker-registry did not start: ${stderr.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** skopeo copy SRC docker://HOST/DEST over plain HTTP. */
export function push(src: string, host: string, dest: string, all = false): void {
  execFileSync('skopeo', ['copy', '--quiet', ...(all ? ['--all'] : []), '--dest-tls-verify=false', src, `docker://${host}/${dest}`], { stdio: 'pipe' });
}

export interface TokenGate {
  readonly host: string;
  /** Token requests seen: their query strings. */
  readonly tokenRequests: URLSearchParams[];
  /** When true, blob bodies are altered on the way (one byte flipped). */
  tamper: boolean;
  stop(): Promise<void>;
}

/**
 * A bearer-token gate in front of a registry, speaking the Docker token protocol: requests without
 * a valid token get 401 + `WWW-Authenticate: Bearer realm=...,service=...,scope=...`; GET /token
 * hands out an anonymous token for `pull` scopes.
 */
export async function startTokenGate(upstream: string): Promise<TokenGate> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const gate: TokenGate & { server?: Server } = {
    host: `127.0.0.1:${port}`,
    tokenRequests: [],
    tamper: false,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${gate.host}`);
    if (url.pathname === '/token') {
      gate.tokenRequests.push(url.searchParams);
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'vigil-test' || !/^repository:[a-z0-9/._-]+:pull$/.test(scope)) {
        res.writeHead(400).end('{"errors":[{"code":"DENIED"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://${gate.host}/token",service="vigil-test"${repo ? `,scope="repository:${repo}:pull"` : ''}`,
          'content-type': 'application/json',
        })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const [h, p] = upstream.split(':');
    const up = request({ host: h, port: Number(p), path: req.url, method: req.method, headers: { ...req.headers, host: upstream } }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      let first = true;
      ur.on('data', (c: Buffer) => {
        if (gate.tamper && first && url.pathname.includes('/blobs/')) {
          c = Buffer.from(c);
          c[c.length - 1] ^= 0xff;
        }
        first = false;
        res.write(c);
      });
      ur.on('end', () => res.end());
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return gate;
}
