/**
 * A real Registry HTTP API v2 server for tests: Debian's `docker-registry` (distribution 2.8) on
 * 127.0.0.1 with its own storage, images pushed with skopeo; and a bearer-token gate in front of it
 * that implements the token protocol (WWW-Authenticate challenge -> GET realm?service&scope -> token).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
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

/**
 * Starts docker-registry on a free loopback port with a private storage directory; with `token`,
 * the registry itself demands JWT bearer tokens signed by that token server's certificate.
 */
export async function startRegistry(token?: TokenServer): Promise<TestRegistry> {
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
      ...(token
        ? ['auth:', '  token:', `    realm: http://${token.host}/token`, `    service: ${token.service}`, `    issuer: ${token.issuer}`, `    rootcertbundle: ${token.certPath}`]
        : []),
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
      if (r.status === 200 || r.status === 401) break;
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
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      // The pushed images are ~100 MB: do not leave them in /tmp.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * skopeo copy SRC docker://HOST/DEST over plain HTTP. Asynchronous on purpose: a token server in
 * this process must keep answering while skopeo runs.
 */
export async function push(src: string, host: string, dest: string, all = false): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  await promisify(execFile)('skopeo', ['copy', '--quiet', ...(all ? ['--all'] : []), '--dest-tls-verify=false', src, `docker://${host}/${dest}`], { timeout: 240_000 });
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

/** A token server for the registry's own `auth.token` mode: RS256 JWTs with an x5c chain. */
export interface TokenServer {
  readonly host: string;
  readonly service: string;
  readonly issuer: string;
  readonly certPath: string;
  /** Scopes asked for, in order. */
  readonly scopes: string[];
  stop(): Promise<void>;
}

/** Why token-auth tests must skip (they need openssl to make the signing certificate). */
export function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skipped: openssl is not installed (needed to make the token signing certificate)';
  }
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * Starts a Docker token server (distribution's token spec): GET /token?service=&scope= answers
 * {token} where token is a JWT signed with a fresh self-signed certificate the registry trusts.
 * Every requested action is granted (anonymous test registry).
 */
export async function startTokenServer(): Promise<TokenServer> {
  const dir = tempDir('vigil-token-');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', '/CN=vigil-test-token', '-days', '1'], { stdio: 'ignore' });
  const { createPrivateKey, createSign, X509Certificate } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const key = createPrivateKey(readFileSync(keyPath));
  const der = new X509Certificate(readFileSync(certPath)).raw;
  const port = await freePort();
  const ts: TokenServer & { scopes: string[] } = {
    host: `127.0.0.1:${port}`,
    service: 'vigil-test',
    issuer: 'vigil-test-issuer',
    certPath,
    scopes: [],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${ts.host}`);
    if (url.pathname !== '/token' || url.searchParams.get('service') !== ts.service) {
      res.writeHead(400).end();
      return;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      ts.scopes.push(scope);
      const m = /^repository:([^:]+):(.+)$/.exec(scope);
      return m ? [{ type: 'repository', name: m[1], actions: m[2]!.split(',') }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [der.toString('base64')] };
    const claims = { iss: ts.issuer, sub: '', aud: ts.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign('RSA-SHA256').update(input).sign(key);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(sig)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return ts;
}
