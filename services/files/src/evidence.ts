/**
 * What an evidence file (佐证材料) must be, and what is kept of it. Its type is read from its bytes
 * (`file-type`), never from its name: a photo (JPEG, PNG, WebP) or a scan as PDF, at most
 * MAX_EVIDENCE_BYTES. A photo is decoded and encoded again (`sharp`): turned upright as the camera
 * said, at most MAX_IMAGE_SIDE pixels on its long side, and without its metadata — EXIF with the
 * place it was taken (GPS), the camera, the time — so the file kept, and the hash the log holds,
 * are of the clean image; the upload itself is never kept. A thumbnail (WebP, THUMBNAIL_SIDE on its
 * long side) is made for the pages. A PDF is kept as sent.
 *
 * Each refusal is an EvidenceFileError with a message in Chinese that says what to do.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { sha256Of } from './store.ts';

export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
/** A photo's long side after re-encoding, in pixels (a phone's 12-megapixel photo is 4032). */
export const MAX_IMAGE_SIDE = 4096;
export const THUMBNAIL_SIDE = 320;
/** Larger images (in pixels) are refused before they are decoded. */
const MAX_INPUT_PIXELS = 60_000_000;

export const EVIDENCE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

export const isImage = (mediaType: string): boolean => mediaType.startsWith('image/');

export class EvidenceFileError extends Error {
  constructor(
    readonly code: 'too-large' | 'empty' | 'unsupported-type' | 'heic' | 'unreadable-image' | 'too-many-pixels',
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'EvidenceFileError';
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Refuses a file of `size` bytes before a byte of it is kept. */
export function assertEvidenceSize(size: number): void {
  if (size > MAX_EVIDENCE_BYTES) {
    throw new EvidenceFileError(
      'too-large',
      `文件过大（${megabytes(size)}），佐证材料每个文件不超过 ${megabytes(MAX_EVIDENCE_BYTES)}：请压缩照片或把扫描件分成几个文件`,
      `File too large (${megabytes(size)}; limit ${megabytes(MAX_EVIDENCE_BYTES)})`,
    );
  }
  if (size === 0) throw new EvidenceFileError('empty', '文件是空的，请重新选择文件', 'The file is empty');
}

export interface PreparedEvidence {
  /** What is kept: the re-encoded image, or the PDF as sent. */
  bytes: Buffer;
  sha256: string;
  mediaType: EvidenceMediaType;
  /** The kept file's size in bytes. */
  size: number;
  /** A photo's thumbnail (WebP); null for a PDF. */
  thumbnail: Buffer | null;
  /** A photo's size in pixels after re-encoding; null for a PDF. */
  width: number | null;
  height: number | null;
}

const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** Checks an uploaded file by its content and makes what is kept of it (see the module's comment). */
export async function prepareEvidence(input: Uint8Array, name = ''): Promise<PreparedEvidence> {
  assertEvidenceSize(input.byteLength);
  const found = await fileTypeFromBuffer(input);
  const named = extensionOf(name);
  if (found?.mime === 'image/heic' || found?.mime === 'image/heif' || named === 'heic' || named === 'heif') {
    throw new EvidenceFileError(
      'heic',
      '暂不支持 HEIC 格式的照片：请在手机上把照片存为 JPG（如 iPhone「设置 › 相机 › 格式」选「兼容性最佳」）后再上传',
      'HEIC photos are not taken yet: save the photo as JPEG and upload it again',
    );
  }
  if (!found || !(EVIDENCE_MEDIA_TYPES as readonly string[]).includes(found.mime)) {
    const what = found ? `内容是 ${found.ext.toUpperCase()} 文件` : '无法识别文件内容';
    throw new EvidenceFileError(
      'unsupported-type',
      `${name ? `「${name}」` : '该文件'}${what}：佐证材料只接受照片（JPG、PNG、WebP）和 PDF 扫描件`,
      `${found ? `The file is ${found.mime}` : 'The file’s type is not recognised'}: evidence is a photo (JPEG, PNG, WebP) or a PDF`,
    );
  }
  const mediaType = found.mime as EvidenceMediaType;
  if (mediaType === 'application/pdf') {
    const bytes = Buffer.from(input);
    return { bytes, sha256: sha256Of(bytes), mediaType, size: bytes.length, thumbnail: null, width: null, height: null };
  }
  return reencode(input, mediaType, name);
}

async function reencode(input: Uint8Array, mediaType: Exclude<EvidenceMediaType, 'application/pdf'>, name: string): Promise<PreparedEvidence> {
  const image = () => sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
  try {
    // sharp keeps no metadata unless asked: the EXIF (GPS among it), XMP and IPTC are left behind.
    const resized = image().resize(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, { fit: 'inside', withoutEnlargement: true });
    const encoded =
      mediaType === 'image/jpeg'
        ? resized.jpeg({ quality: 85 })
        : mediaType === 'image/png'
          ? resized.png({ compressionLevel: 9 })
          : resized.webp({ quality: 85 });
    const { data: bytes, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await image().resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
    return { bytes, sha256: sha256Of(bytes), mediaType, size: bytes.length, thumbnail, width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new EvidenceFileError(
        'too-many-pixels',
        `照片${name ? `「${name}」` : ''}像素过多（上限 ${MAX_INPUT_PIXELS / 1_000_000} 百万像素）：请缩小后再上传`,
        `The image has too many pixels (limit ${MAX_INPUT_PIXELS})`,
      );
    }
    throw new EvidenceFileError(
      'unreadable-image',
      `照片${name ? `「${name}」` : ''}已损坏或不完整，无法读取：请重新拍摄或导出后上传`,
      `The image cannot be read: ${message}`,
    );
  }
}
