import { readHeaders, type ReadHeadersMessage, type ReadHeadersRequest } from './read-headers';
import { stageBatches, type StageMessage, type StageRequest } from './stage-batches';

/**
 * The upload's one worker, loaded once whatever it is asked: reading the dropped files' headers, and writing the
 * batches to send into the staging folder. One script, so dicom-parser and the DICOM code cross the link once.
 */
export type UploadWorkerRequest = ReadHeadersRequest | StageRequest;

// the app is typed against the DOM; a worker's scope needs only these two
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<UploadWorkerRequest>) => unknown) | null;
  postMessage(message: ReadHeadersMessage | StageMessage): void;
};

const post = (message: ReadHeadersMessage | StageMessage): void => {
  scope.postMessage(message);
};

scope.onmessage = (event: MessageEvent<UploadWorkerRequest>): Promise<void> =>
  event.data.kind === 'read' ? readHeaders(event.data, post) : stageBatches(event.data, post);
