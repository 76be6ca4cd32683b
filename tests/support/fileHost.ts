import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves files the way Teams hands a bot a file dropped into a chat: a pre-authenticated
 * download URL that answers GET with the bytes.
 */
export class FileHost {
  private readonly files = new Map<string, Buffer>();
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    private readonly base: string,
  ) {}

  static async start(): Promise<FileHost> {
    let host: FileHost | undefined;
    const server = createServer((req, res) => {
      const body = host?.files.get(req.url ?? '');
      if (req.method !== 'GET' || !body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = new FileHost(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return host;
  }

  /** Makes the content downloadable and returns its download URL. */
  add(content: string | Buffer): string {
    const path = `/files/${this.nextId++}?tempauth=abc`;
    this.files.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
    return `${this.base}${path}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
