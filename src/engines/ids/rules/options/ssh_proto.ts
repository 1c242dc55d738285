/** `ssh_proto;` — sticky buffer: later payload options inspect the SSH protocol version string (Suricata 4 name of ssh.proto). */
import { stickyBuffer } from './modifier.js';

export const sshProto = stickyBuffer('ssh_proto', 'ssh_proto', 'inspect the SSH protocol version string (Suricata 4 name of ssh.proto)');
