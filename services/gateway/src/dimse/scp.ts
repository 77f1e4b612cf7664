import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import dcmjsDimse from 'dcmjs-dimse';
import type { association, Dataset as DimseDataset, requests, responses } from 'dcmjs-dimse';
import type { Logger } from 'pino';
import { StoreFailure, type IncomingInstance } from '../spool/incoming-instance.js';
import type { Spool } from '../spool/spool.js';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { decidePresentationContext, refuseAssociation, type AssociationPolicy } from './negotiation.js';
import { StoreStatus, storeStatusFor } from './store-status.js';

const { Dataset, Scp } = dcmjsDimse;
const { CEchoResponse, CStoreResponse } = dcmjsDimse.responses;
const { PresentationContextResult, RejectReason, RejectResult, RejectSource, Status } = dcmjsDimse.constants;

type Association = association.Association;
type PresentationContext = association.PresentationContext;
type CEchoRequest = requests.CEchoRequest;
type CStoreRequest = requests.CStoreRequest;
type CEchoResponse = responses.CEchoResponse;
type CStoreResponse = responses.CStoreResponse;

/** What a storage SCP needs from the rest of the gateway. */
export interface StorageScpContext {
  policy: AssociationPolicy;
  spool: Spool;
  log: Logger;
  /** Called after an instance is durable in the spool, before the modality hears success. */
  onStored: (instance: SpooledInstance) => void;
}

/** The per-connection SCP class dcmjs-dimse instantiates for each association. */
export type StorageScpClass = new (socket: Socket) => InstanceType<typeof Scp>;

/**
 * Builds the C-ECHO / C-STORE SCP class bound to a spool. Each received data set is streamed, as the bytes came
 * off the wire, into a temporary file behind a File Meta header; the C-STORE is answered with success only once
 * the file is fsynced and renamed into `incoming/`. Nothing is decoded or re-encoded on the way.
 */
export function storageScpClass(context: StorageScpContext): StorageScpClass {
  const { policy, spool, log } = context;

  return class StorageScp extends Scp {
    #association: Association | undefined;
    readonly #receiving = new Map<CStoreRequest, IncomingInstance>();
    readonly #socket: Socket;
    #log: Logger;

    constructor(socket: Socket) {
      super(socket, { logCommandDatasets: false, logDatasets: false });
      this.#socket = socket;
      this.#log = log.child({ peer: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` });
      // An aborted or dropped association leaves half-received instances; they were never acknowledged.
      this.on('close', () => {
        for (const incoming of this.#receiving.values()) void incoming.discard();
        this.#receiving.clear();
      });
    }

    override associationRequested(association: Association): void {
      this.#association = association;
      const calledAeTitle = association.getCalledAeTitle();
      const callingAeTitle = association.getCallingAeTitle();
      this.#log = this.#log.child({ callingAeTitle });
      const refusal = refuseAssociation(calledAeTitle, callingAeTitle, policy);
      if (refusal) {
        this.#log.warn({ calledAeTitle, refusal }, 'association rejected');
        this.sendAssociationReject(
          RejectResult.Permanent,
          RejectSource.ServiceUser,
          refusal === 'called-ae-not-recognized'
            ? RejectReason.CalledAeNotRecognized
            : RejectReason.CallingAeNotRecognized,
        );
        return;
      }
      let accepted = 0;
      for (const { id } of association.getPresentationContexts()) {
        const proposed = association.getPresentationContext(id);
        const decision = decidePresentationContext(
          proposed.getAbstractSyntaxUid(),
          proposed.getTransferSyntaxUids(),
        );
        if (decision.result === 'accept') {
          proposed.setResult(PresentationContextResult.Accept, decision.transferSyntaxUid);
          accepted += 1;
        } else {
          proposed.setResult(
            decision.result === 'abstract-syntax-not-supported'
              ? PresentationContextResult.RejectAbstractSyntaxNotSupported
              : PresentationContextResult.RejectTransferSyntaxesNotSupported,
          );
        }
      }
      this.#log.info({ accepted }, 'association accepted');
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponse) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): Writable {
      const incoming = spool.receive({
        sopClassUid: request.getAffectedSopClassUid().trim(),
        sopInstanceUid: request.getAffectedSopInstanceUid().trim(),
        transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '',
        sourceApplicationEntityTitle: this.#association?.getCallingAeTitle() ?? '',
      });
      this.#receiving.set(request, incoming);
      return incoming.stream;
    }

    override createDatasetFromStoreWritableStream(
      _writable: Writable,
      context: PresentationContext,
      callback: (dataset: DimseDataset) => void,
    ): void {
      // The library wants a parsed data set for cStoreRequest; the gateway never looks inside it (the bytes are
      // already in the spool), so an empty one saves decoding every instance into memory.
      callback(new Dataset({}, context.getAcceptedTransferSyntaxUid()));
    }

    override cStoreRequest(request: CStoreRequest, callback: (response: CStoreResponse) => void): void {
      void this.#store(request).then(callback);
    }

    override abort(source: number, reason: number): void {
      this.#log.warn({ source, reason }, 'association aborted by the peer');
      // After an A-ABORT the acceptor closes the connection (PS3.8 7.3.2); dcmtk waits for that before exiting.
      this.#socket.destroy();
    }

    async #store(request: CStoreRequest): Promise<CStoreResponse> {
      const response = CStoreResponse.fromRequest(request);
      const incoming = this.#receiving.get(request);
      this.#receiving.delete(request);
      const sopInstanceUid = request.getAffectedSopInstanceUid().trim();
      if (!incoming) {
        response.setStatus(StoreStatus.CannotUnderstand);
        response.setErrorComment('no data set was received');
        return response;
      }
      try {
        const stored = await incoming.commit();
        response.setStatus(StoreStatus.Success);
        this.#log.debug({ sopInstanceUid, fileName: stored.fileName }, 'instance spooled');
        context.onStored(stored);
      } catch (error) {
        const failure =
          error instanceof StoreFailure
            ? error
            : new StoreFailure('out-of-resources', String(error), { cause: error });
        this.#log.warn({ sopInstanceUid, reason: failure.reason, err: failure }, 'instance refused');
        response.setStatus(storeStatusFor(failure.reason));
        // Error Comment is LO: at most 64 characters (PS3.7 C.4.2.1.4).
        response.setErrorComment(failure.message.slice(0, 64));
      }
      return response;
    }
  };
}
