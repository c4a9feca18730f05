import { open, type FileHandle } from 'node:fs/promises';
import { ReckonError, ErrorCode } from '../../core/errors.js';

/**
 * A window over a file's bytes that slides forward: `buf[start..end)` holds bytes not yet consumed. `fill()` keeps
 * the unconsumed tail, moves it to the front and reads more, growing the buffer when one record does not fit. Memory
 * stays at the window size (default 16 MiB) however large the file.
 */
export class ByteWindow {
  buf: Buffer;
  /** First unconsumed byte. */
  start = 0;
  /** End of valid bytes. */
  end = 0;
  /** True once the file has been read to its end. */
  eof = false;
  /** Absolute file offset of `buf[0]`. */
  base = 0;
  private readonly fh: FileHandle;
  private first: boolean;
  /** Next file position to read. */
  private position: number;
  /** Stop reading at this file position. */
  private readonly limit: number;

  private constructor(fh: FileHandle, size: number, start: number, limit: number) {
    this.fh = fh;
    this.buf = Buffer.allocUnsafe(size);
    this.position = start;
    this.base = start;
    this.limit = limit;
    this.first = start === 0;
  }

  /**
   * Opens `path` for the bytes [start, end) (default: the whole file); an IO error names the file. A window that
   * starts at 0 skips a UTF-8 byte order mark.
   */
  static async open(path: string, windowBytes = 16 << 20, start = 0, end = Infinity): Promise<ByteWindow> {
    try {
      const fh = await open(path, 'r');
      return new ByteWindow(fh, windowBytes, start, end);
    } catch (e) {
      throw new ReckonError(ErrorCode.Io, `cannot open ${path}: ${(e as Error).message}`, { cause: e, details: { path } });
    }
  }

  /**
   * Keeps `buf[keepFrom..end)`, moves it to the front and reads more bytes behind it. Returns the shift applied to
   * offsets (old offset - shift = new offset). Grows the buffer (x2) when `keepFrom` is 0 and the buffer is full.
   */
  async fill(keepFrom: number = this.start): Promise<number> {
    const keep = this.end - keepFrom;
    if (keepFrom > 0 && keep > 0) this.buf.copy(this.buf, 0, keepFrom, this.end);
    const shift = keepFrom;
    this.base += shift;
    this.start -= shift;
    this.end = keep;
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    while (this.end < this.buf.length && !this.eof) {
      const want = Math.min(this.buf.length - this.end, this.limit - this.position);
      const { bytesRead } = want <= 0 ? { bytesRead: 0 } : await this.fh.read(this.buf, this.end, want, this.position);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
      this.position += bytesRead;
    }
    if (this.first) {
      this.first = false;
      // UTF-8 byte order mark
      if (this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.start = 3;
    }
    return shift;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
