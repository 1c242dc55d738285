/**
 * Classification descriptions (classtype -> text and priority), which Snort prints in alerts as
 * `[Classification: <description>]`. The built-in list is Snort's standard classification.config;
 * rulesets may ship their own file (ET does), read with `parseClassificationConfig`.
 */

export interface Classification {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
}

const STANDARD: readonly [string, string, number][] = [
  ['not-suspicious', 'Not Suspicious Traffic', 3],
  ['unknown', 'Unknown Traffic', 3],
  ['bad-unknown', 'Potentially Bad Traffic', 2],
  ['attempted-recon', 'Attempted Information Leak', 2],
  ['successful-recon-limited', 'Information Leak', 2],
  ['successful-recon-largescale', 'Large Scale Information Leak', 2],
  ['attempted-dos', 'Attempted Denial of Service', 2],
  ['successful-dos', 'Denial of Service', 2],
  ['attempted-user', 'Attempted User Privilege Gain', 1],
  ['unsuccessful-user', 'Unsuccessful User Privilege Gain', 1],
  ['successful-user', 'Successful User Privilege Gain', 1],
  ['attempted-admin', 'Attempted Administrator Privilege Gain', 1],
  ['successful-admin', 'Successful Administrator Privilege Gain', 1],
  ['rpc-portmap-decode', 'Decode of an RPC Query', 2],
  ['shellcode-detect', 'Executable code was detected', 1],
  ['string-detect', 'A suspicious string was detected', 3],
  ['suspicious-filename-detect', 'A suspicious filename was detected', 2],
  ['suspicious-login', 'An attempted login using a suspicious username was detected', 2],
  ['system-call-detect', 'A system call was detected', 2],
  ['tcp-connection', 'A TCP connection was detected', 4],
  ['trojan-activity', 'A Network Trojan was detected', 1],
  ['unusual-client-port-connection', 'A client was using an unusual port', 2],
  ['network-scan', 'Detection of a Network Scan', 3],
  ['denial-of-service', 'Detection of a Denial of Service Attack', 2],
  ['non-standard-protocol', 'Detection of a non-standard protocol or event', 2],
  ['protocol-command-decode', 'Generic Protocol Command Decode', 3],
  ['web-application-activity', 'access to a potentially vulnerable web application', 2],
  ['web-application-attack', 'Web Application Attack', 1],
  ['misc-activity', 'Misc activity', 3],
  ['misc-attack', 'Misc Attack', 2],
  ['icmp-event', 'Generic ICMP event', 3],
  ['inappropriate-content', 'Inappropriate Content was Detected', 1],
  ['policy-violation', 'Potential Corporate Privacy Violation', 1],
  ['default-login-attempt', 'Attempt to login by a default username and password', 2],
  ['sdf', 'Sensitive Data was Transmitted Across the Network', 2],
  ['file-format', 'Known malicious file or file based exploit', 1],
  ['malware-cnc', 'Known malware command and control traffic', 1],
  ['client-side-exploit', 'Known client side exploit attempt', 1],
];

/** Snort's standard classifications, keyed by classtype name. */
export function standardClassifications(): Map<string, Classification> {
  return new Map(STANDARD.map(([name, description, priority]) => [name, { name, description, priority }]));
}

/**
 * Reads `config classification: name,description,priority` lines into `into` (later entries win).
 * Returns the lines it could not read (1-based), so the caller can warn with file:line.
 *
 * @example
 * const bad = parseClassificationConfig(text, classes);
 */
export function parseClassificationConfig(text: string, into: Map<string, Classification>): number[] {
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^config\s+classification\s*:\s*([^,]+),(.*),\s*(\d+)\s*$/.exec(t);
    if (!m) {
      bad.push(i + 1);
      return;
    }
    const name = m[1]!.trim();
    into.set(name, { name, description: m[2]!.trim(), priority: Number(m[3]) });
  });
  return bad;
}
