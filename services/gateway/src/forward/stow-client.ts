import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { MultipartBody } from './multipart.js';

/** The api's answer to one STOW-RS request. */
export interface StowAnswer {
  status: number;
  /** The parsed JSON body, when there was one. */
  body: unknown;
  /** Milliseconds a 429 or 503 asked the gateway to wait (Retry-After). */
  retryAfterMs: number | undefined;
}

/** The request could not be sent or no answer came back: the link, DNS, TLS, a timeout. */
export class StowNetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StowNetworkError';
  }
}

// A slow api may take a while to answer a large batch, but a connection that moves no bytes for this long is dead.
const IDLE_TIMEOUT_MS = 5 * 60_000;
// A STOW-RS answer lists UIDs; anything much larger is not one and is not worth holding.
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Sends STOW-RS requests (`POST {api}/dicomweb/studies`) over keep-alive connections, streaming the body from
 * disk with an exact Content-Length.
 */
export class StowClient {
  readonly #url: URL;
  readonly #agent: HttpAgent;

  constructor(apiUrl: string) {
    this.#url = new URL(`${apiUrl}/dicomweb/studies`);
    this.#agent =
      this.#url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true })
        : new HttpAgent({ keepAlive: true });
  }

  /** Posts one multipart/related body; throws StowNetworkError when no HTTP answer arrives. */
  async post(body: MultipartBody, accessToken: string, signal: AbortSignal): Promise<StowAnswer> {
    const send = this.#url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<StowAnswer>((resolve, reject) => {
      const fail = (error: unknown): void => {
        reject(
          error instanceof StowNetworkError
            ? error
            : new StowNetworkError(`STOW-RS request failed: ${describe(error)}`, { cause: error }),
        );
      };
      const request = send(this.#url, {
        method: 'POST',
        agent: this.#agent,
        signal,
        headers: {
          'content-type': body.contentType,
          'content-length': String(body.length),
          accept: 'application/dicom+json',
          authorization: `Bearer ${accessToken}`,
        },
      });
      request.setTimeout(IDLE_TIMEOUT_MS, () => {
        request.destroy(new Error(`no progress for ${IDLE_TIMEOUT_MS / 1000} s`));
      });
      request.on('error', fail);
      request.on('response', (response) => {
        readAnswer(response).then(resolve, fail);
      });
      // A failure to read a spool file ends the request; the 'error' above reports it.
      pipeline(body.stream(), request).catch((error: unknown) => {
        request.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}

async function readAnswer(response: IncomingMessage): Promise<StowAnswer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size <= MAX_ANSWER_BYTES) chunks.push(bytes);
  }
  const status = response.statusCode ?? 0;
  const type = response.headers['content-type'] ?? '';
  let body: unknown;
  if (/json/i.test(type) && size <= MAX_ANSWER_BYTES) {
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  return { status, body, retryAfterMs: retryAfter(response.headers['retry-after']) };
}

function retryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
