/** Node's `Buffer` for the kit page, which the log's code uses for hashes and base64. */
import { Buffer } from 'buffer';

(globalThis as { Buffer?: unknown }).Buffer ??= Buffer;
export { Buffer };
