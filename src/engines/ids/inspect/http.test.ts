import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makePacket } from '../../../../test/ids/packet.js';
import { HttpInspector, normaliseUri } from './http.js';

function inspect(payload: string | Uint8Array, http = new HttpInspector()): Map<string, string> {
  const bufs = new Map<string, string>();
  const pkt = makePacket({ payload });
  http.onPacket(pkt, { set: (name, data) => bufs.set(name, Buffer.from(data).toString('latin1')) });
  return bufs;
}

const text = (s: string) => Buffer.from(normaliseUri(Buffer.from(s, 'latin1'))).toString('latin1');

describe('normaliseUri', () => {
  it('decodes %XX and %uXXXX, turns backslashes into slashes and resolves dot segments and double slashes', () => {
    expect(text('/a/./b/../%63md.exe')).toBe('/a/cmd.exe');
    expect(text('/scripts/..%5c..%5cwinnt/system32/cmd.exe?/c+dir')).toBe('/winnt/system32/cmd.exe?/c+dir');
    expect(text('//etc///passwd')).toBe('/etc/passwd');
    expect(text('/%u0061dmin/')).toBe('/admin/');
    expect(text('/x?q=%2e%2e/%2e%2e')).toBe('/x?q=../..');
    expect(text('/bad%zzescape')).toBe('/bad%zzescape');
  });
});

describe('HttpInspector', () => {
  it('fills the request buffers from a request packet', () => {
    const b = inspect('GET /dvwa/../etc/%70asswd?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: sqlmap/1.0\r\nCookie: PHPSESSID=abc; security=low\r\n\r\n');
    expect(b.get('http_method')).toBe('GET');
    expect(b.get('http_raw_uri')).toBe('/dvwa/../etc/%70asswd?x=1');
    expect(b.get('http_uri')).toBe('/etc/passwd?x=1');
    expect(b.get('http_host')).toBe('example.com');
    expect(b.get('http_user_agent')).toBe('sqlmap/1.0');
    expect(b.get('http_cookie')).toBe('PHPSESSID=abc; security=low');
    expect(b.get('http_header')).toContain('Host: example.com\r\n');
    expect(b.get('http_header')).not.toContain('GET ');
    expect(b.has('http_client_body')).toBe(false);
  });

  it('takes the request body that follows the headers in the same packet', () => {
    const b = inspect('POST /login.php HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nuser=admin&pass=x');
    expect(b.get('http_client_body')).toBe('user=admin&pass=x');
    expect(b.get('http_content_type')).toBe('application/x-www-form-urlencoded');
  });

  it('fills status buffers and file_data from a response, de-chunked and gunzipped', () => {
    const body = gzipSync(Buffer.from('<html>evil.js</html>'));
    const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const http = new HttpInspector();
    const b = inspect(Buffer.concat([Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nServer: nginx\r\n\r\n'), chunked]), http);
    expect(b.get('http_stat_code')).toBe('404');
    expect(b.get('http_stat_msg')).toBe('Not Found');
    expect(b.get('http_server')).toBe('nginx');
    expect(b.get('file_data')).toBe('<html>evil.js</html>');
    expect(http.counters).toMatchObject({ responses: 1, decompressed: 1 });
  });

  it('inflates as much of a gzip body as the packet holds', () => {
    const body = gzipSync(Buffer.from('A'.repeat(5000) + 'MARKER' + 'B'.repeat(5000)));
    const b = inspect(Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n'), body.subarray(0, body.length - 8)]));
    expect(b.get('file_data')).toContain('MARKER');
  });

  it('leaves non-HTTP payloads and unknown methods alone', () => {
    expect(inspect('SSH-2.0-OpenSSH_8.9\r\n').size).toBe(0);
    expect(inspect('FOO /x HTTP/1.1\r\n\r\n').size).toBe(0);
    expect(inspect('GET /x NOTHTTP\r\n').size).toBe(0);
  });

  it('never throws on random bytes or truncated messages', () => {
    let x = 3;
    const http = new HttpInspector();
    const seeds = ['GET / HTTP/1.1\r\nHost: a\r\n\r\nbody', 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nxx'];
    for (let i = 0; i < 2000; i++) {
      const base = Buffer.from(seeds[i % 2]!);
      const b = Buffer.from(base.subarray(0, 1 + (i % base.length)));
      for (let k = 0; k < 3; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[x % b.length] = x >>> 24;
      }
      expect(() => inspect(b, http)).not.toThrow();
    }
  });
});
