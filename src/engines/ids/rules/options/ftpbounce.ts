/**
 * `ftpbounce;` (Snort 2) — after a content matching PORT, the address in "h1,h2,h3,h4,p1,p2" is not the
 * client's own address (an FTP bounce attempt).
 */
import { err, ok } from '../../../../core/result.js';
import { defineOption } from './types.js';

export const ftpbounce = defineOption<null>({
  name: 'ftpbounce',
  kind: 'match',
  help: 'match an FTP PORT command whose address is not the sender\'s (use after content:"PORT")',
  params: [],
  usesBuffer: true,
  parse: (args) => (args === undefined || args.trim() === '' ? ok(null) : err('ftpbounce takes no argument')),
  key: () => '',
  eval(_c, m) {
    const ip = m.pkt.ip;
    if (ip?.version !== 4) return false;
    const text = Buffer.from(m.buf.buffer, m.buf.byteOffset + m.cursor, Math.min(64, m.buf.length - m.cursor)).toString('latin1');
    const r = /^\s*(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),\d{1,3},\d{1,3}/.exec(text);
    if (!r) return false;
    const addr = ((Number(r[1]) << 24) | (Number(r[2]) << 16) | (Number(r[3]) << 8) | Number(r[4])) >>> 0;
    return addr !== ip.src;
  },
});
