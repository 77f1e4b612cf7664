import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One STOW-RS request as the peer received it. */
export interface ReceivedStow {
  authorization: string | undefined;
  contentType: string;
  contentLength: number;
  /** The body of each application/dicom part. */
  parts: Buffer[];
}

/** How the peer answers a STOW-RS request; `undefined` from a handler means "store everything, 200". */
export type StowHandler = (request: ReceivedStow, attempt: number) => StowReply | 'hang' | undefined;

/** A reply the peer sends. */
export interface StowReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A small HTTP peer that speaks the api's side of the gateway protocol (login, refresh, STOW-RS) for tests: it
 * records every request, parses multipart/related bodies into parts and answers as the test scripts it.
 */
export class StowPeer {
  readonly stows: ReceivedStow[] = [];
  readonly logins: { username: string; password: string }[] = [];
  readonly refreshes: string[] = [];
  /** STOW-RS requests refused with 401 for want of a valid token. */
  unauthorized = 0;
  handler: StowHandler = () => undefined;
  /** Access tokens the STOW endpoint accepts; a login issues a new one. */
  readonly validTokens = new Set<string>();
  loginStatus = 200;
  /** Lifetime of the access tokens issued; below the gateway's 30 s renewal margin every use refreshes. */
  expiresIn = 300;
  #server: Server;
  #tokenCount = 0;
  #hanging: ServerResponse[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts the peer on a free loopback port (or `port`, to come back where a previous peer was). */
  static async start(port = 0): Promise<StowPeer> {
    const server = createServer();
    const peer = new StowPeer(server);
    server.on('request', (request, response) => {
      void peer.#handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Every part received so far, in order. */
  allParts(): Buffer[] {
    return this.stows.flatMap((stow) => stow.parts);
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (request.method === 'POST' && request.url === '/api/auth/login') {
      const credentials = JSON.parse(body.toString('utf8')) as { username: string; password: string };
      this.logins.push(credentials);
      if (this.loginStatus !== 200) {
        reply(response, { status: this.loginStatus, body: { title: 'no' } });
        return;
      }
      reply(response, { status: 200, body: this.#issue() });
      return;
    }
    if (request.method === 'POST' && request.url === '/api/auth/refresh') {
      const { refreshToken } = JSON.parse(body.toString('utf8')) as { refreshToken: string };
      this.refreshes.push(refreshToken);
      reply(response, { status: 200, body: this.#issue() });
      return;
    }
    if (request.method === 'POST' && request.url === '/dicomweb/studies') {
      const authorization = request.headers.authorization;
      if (!authorization || !this.validTokens.has(authorization.replace(/^Bearer /, ''))) {
        this.unauthorized += 1;
        reply(response, { status: 401, body: { title: 'expired' } });
        return;
      }
      const contentType = request.headers['content-type'] ?? '';
      const received: ReceivedStow = {
        authorization,
        contentType,
        contentLength: Number(request.headers['content-length']),
        parts: parseMultipart(body, contentType),
      };
      this.stows.push(received);
      const answer = this.handler(received, this.stows.length);
      if (answer === 'hang') {
        this.#hanging.push(response);
        return;
      }
      reply(response, answer ?? { status: 200, body: {} });
      return;
    }
    reply(response, { status: 404 });
  }

  #issue(): { accessToken: string; refreshToken: string; expiresIn: number; tokenType: string } {
    this.#tokenCount += 1;
    const accessToken = `access-${this.#tokenCount}`;
    this.validTokens.add(accessToken);
    return {
      tokenType: 'Bearer',
      accessToken,
      refreshToken: `refresh-${this.#tokenCount}`,
      expiresIn: this.expiresIn,
    };
  }
}

function reply(response: ServerResponse, { status, body, headers }: StowReply): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  if (body === undefined) {
    response.end();
    return;
  }
  response.setHeader(
    'content-type',
    status === 200 || status === 202 || status === 409 ? 'application/dicom+json' : 'application/json',
  );
  response.end(JSON.stringify(body));
}

/** Splits a multipart/related body into part bodies, checking each part is application/dicom. */
export function parseMultipart(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headersEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const headers = body.subarray(afterDelimiter + 2, headersEnd).toString('ascii');
    if (!/content-type:\s*application\/dicom/i.test(headers))
      throw new Error(`unexpected part headers ${headers}`);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw new Error('unterminated part');
    parts.push(Buffer.from(body.subarray(headersEnd + 4, next)));
    position = next + 2;
  }
  return parts;
}

/** A DICOM JSON STOW-RS answer (PS3.18 10.5.3) listing stored and failed instances. */
export function stowAnswer(stored: string[], failed: { uid: string; reason: number }[] = []): unknown {
  const answer: Record<string, unknown> = {};
  if (stored.length)
    answer['00081199'] = {
      vr: 'SQ',
      Value: stored.map((uid) => ({
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
        '00081155': { vr: 'UI', Value: [uid] },
        '00081190': { vr: 'UR', Value: [`http://api/dicomweb/studies/x/series/y/instances/${uid}`] },
      })),
    };
  if (failed.length)
    answer['00081198'] = {
      vr: 'SQ',
      Value: failed.map(({ uid, reason }) => ({
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
        '00081155': { vr: 'UI', Value: [uid] },
        '00081197': { vr: 'US', Value: [reason] },
      })),
    };
  return answer;
}
