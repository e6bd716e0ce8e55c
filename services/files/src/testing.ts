/**
 * Files for tests: a photo as a phone takes it, with EXIF naming the camera and the place it was
 * taken (GPS), and a way to read that place back out of any JPEG.
 */
import exifReader from 'exif-reader';
import sharp from 'sharp';

/** Where the test photo says it was taken: 安岳县 (30.1°N, 105.3°E). */
export const TEST_GPS = { latitude: [30, 6, 0], longitude: [105, 20, 0] } as const;

/** A JPEG of `width`×`height` pixels in one colour, its EXIF holding a camera and TEST_GPS. */
export function photoWithGps(options: { width?: number; height?: number; colour?: string } = {}): Promise<Buffer> {
  const { width = 1200, height = 900, colour = '#b33a3a' } = options;
  const rational = (values: readonly number[]) => values.map((value) => `${value}/1`).join(' ');
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'YingpanTestCam', Model: 'Phone 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: rational(TEST_GPS.latitude),
        GPSLongitudeRef: 'E',
        GPSLongitude: rational(TEST_GPS.longitude),
      },
    })
    .toBuffer();
}

/** The GPS block of an image's EXIF (null when it has no EXIF or no GPS in it). */
export async function gpsOf(image: Uint8Array): Promise<Record<string, unknown> | null> {
  const { exif } = await sharp(image).metadata();
  if (!exif) return null;
  const gps = exifReader(exif).GPSInfo as Record<string, unknown> | undefined;
  return gps && Object.keys(gps).length > 0 ? gps : null;
}
