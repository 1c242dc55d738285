/** `dce_stub_data;` — sticky buffer: later payload options inspect the DCE/RPC request/response stub data. */
import { stickyBuffer } from './modifier.js';

export const dceStubData = stickyBuffer('dce_stub_data', 'dce_stub_data', 'inspect the DCE/RPC request/response stub data');
