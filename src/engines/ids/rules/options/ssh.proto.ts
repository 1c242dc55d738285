/** `ssh.proto;` — sticky buffer: later payload options inspect the SSH protocol version string. */
import { stickyBuffer } from './modifier.js';

export const sshProtoBuffer = stickyBuffer('ssh.proto', 'ssh_proto', 'inspect the SSH protocol version string');
