/** `dns.query;` — sticky buffer: later payload options inspect the DNS query name, dotted (www.example.com). */
import { stickyBuffer } from './modifier.js';

export const dnsQueryBuffer = stickyBuffer('dns.query', 'dns_query', 'inspect the DNS query name, dotted (www.example.com)');
