/** `dns_query;` — sticky buffer: later payload options inspect the DNS query name (Suricata 4 name of dns.query). */
import { stickyBuffer } from './modifier.js';

export const dnsQuery = stickyBuffer('dns_query', 'dns_query', 'inspect the DNS query name (Suricata 4 name of dns.query)');
