/** `ssh.software;` — sticky buffer: later payload options inspect the SSH software version string. */
import { stickyBuffer } from './modifier.js';

export const sshSoftwareBuffer = stickyBuffer('ssh.software', 'ssh_software', 'inspect the SSH software version string');
