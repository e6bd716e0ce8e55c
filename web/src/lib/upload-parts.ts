/**
 * Sending a file to the API in parts, as the API takes them (services/api/src/uploads.ts): each part
 * at most 256 KB, under the request-body limit, as `PUT <base>/uploads/<id>/<n>?parts=N&size=S`;
 * then the caller asks for what is done with the whole file at `<base>/uploads/<id>/…`. Used by the
 * Excel import (`/import/api`) and the evidence files (`/files`).
 */

export const PART_BYTES = 256 * 1024;

/** A random UUID, also where `crypto.randomUUID` is missing (a plain-http address that is not localhost). */
export function uploadId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The error an answer that is not OK stands for: its Chinese message (`{error: {zh}}`), else its status. */
export async function refusal(response: Response): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { error?: { zh?: string } } | null;
  return new Error(body?.error?.zh ?? `HTTP ${response.status}`);
}

/**
 * Sends `file` in parts under `base` (e.g. `/files`); `onPart(done, total)` before each part and once
 * all are sent. Answers the upload's id, which names it in the request that follows.
 */
export async function sendParts(base: string, file: Blob, onPart: (done: number, total: number) => void = () => {}): Promise<string> {
  const id = uploadId();
  const parts = Math.max(1, Math.ceil(file.size / PART_BYTES));
  for (let index = 0; index < parts; index++) {
    onPart(index, parts);
    const response = await fetch(`${base}/uploads/${id}/${index}?parts=${parts}&size=${file.size}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: file.slice(index * PART_BYTES, (index + 1) * PART_BYTES),
    });
    if (!response.ok) throw await refusal(response);
  }
  onPart(parts, parts);
  return id;
}
