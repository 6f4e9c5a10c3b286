import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** A text file written with back-pressure: `write` waits when the disk is behind. */
export class FileOutput {
  private readonly stream: WriteStream;

  constructor(filename: string) {
    this.stream = createWriteStream(filename);
  }

  async write(text: string): Promise<void> {
    if (text && !this.stream.write(text, 'utf8')) await once(this.stream, 'drain');
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  destroy(): void {
    this.stream.destroy();
  }
}
