import { copyFile, mkdir, open, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';

/** A file opened for writing by a {@link DownloadFileSystem}. */
export interface WritableFile {
  /** Writes all of `chunk` at the end of what was written so far. */
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes and closes the file. Calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * The file-system writes a downloader makes, all of them: a small interface over
 * `node:fs/promises` so a test (or a host with its own storage rules) can wrap it, e.g. to
 * inject `ENOSPC`. Reads go to `node:fs` directly.
 */
export interface DownloadFileSystem {
  /** Creates `directory` and its missing parents (like `mkdir -p`). */
  makeDirectory(directory: string): Promise<void>;
  /**
   * Opens `file` for writing: `'append'` keeps its content and writes after it (creating it when
   * missing); `'truncate'` starts it empty.
   */
  openForWriting(file: string, mode: 'append' | 'truncate'): Promise<WritableFile>;
  /** Renames `from` to `to`, replacing `to` atomically when it exists. */
  rename(from: string, to: string): Promise<void>;
  /** Creates a symbolic link at `linkPath` whose content is `target` (relative to the link's folder). */
  symlink(target: string, linkPath: string): Promise<void>;
  /** Copies `from` to `to`: used where symbolic links are not allowed (Windows without developer mode). */
  copyFile(from: string, to: string): Promise<void>;
  /** Writes `content` to `file`, replacing it. */
  writeFile(file: string, content: string): Promise<void>;
  /** Removes a file, a link or a folder with its content; a missing one is not an error. */
  remove(target: string): Promise<void>;
  /** Sets the access and modification times of `target` to `time` (milliseconds since the epoch). */
  setTimes(target: string, time: number): Promise<void>;
}

/** The {@link DownloadFileSystem} of `node:fs/promises`. */
export const nodeDownloadFileSystem: DownloadFileSystem = Object.freeze({
  async makeDirectory(directory: string) {
    await mkdir(directory, { recursive: true });
  },
  async openForWriting(file: string, mode: 'append' | 'truncate'): Promise<WritableFile> {
    const handle = await open(file, mode === 'append' ? 'a' : 'w');
    let closed = false;
    return {
      async write(chunk: Uint8Array) {
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  },
  rename: (from: string, to: string) => rename(from, to),
  symlink: (target: string, linkPath: string) => symlink(target, linkPath),
  copyFile: (from: string, to: string) => copyFile(from, to),
  writeFile: (file: string, content: string) => writeFile(file, content),
  remove: (target: string) => rm(target, { recursive: true, force: true }),
  async setTimes(target: string, time: number) {
    const date = new Date(time);
    await utimes(target, date, date);
  },
});
