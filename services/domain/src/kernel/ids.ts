import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5 layout, SHA-1) for the n-th event a command produces on a stream.
 * A retried command yields the same ids, so the store recognises the retry and writes nothing.
 */
export function eventIdFor(commandId: string, streamId: string, index: number): string {
  const bytes = createHash('sha1').update(`${commandId}\u0000${streamId}\u0000${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
