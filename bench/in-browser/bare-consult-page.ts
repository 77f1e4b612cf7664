/**
 * The page of the bare consult (../consult-bare.ts), bundled for the browser: on load it asks for the camera and the
 * microphone as the consult does (640x360, up to 25 frames/s), joins, makes a receive and a send transport, says it
 * is ready to receive, sends the camera in the consult's simulcast layers and the microphone with the consult's
 * Opus options, and plays what it receives. The status line says "sending" once both tracks are out.
 */
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { CAMERA_CAPTURE, CAMERA_LAYERS } from '@telemed/contracts';
import type {
  BareAnswer,
  BareClientToServer,
  BareServerToClient,
  BareTransport,
} from '../consult-bare-signals.js';

/** The consult's camera layers. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = CAMERA_LAYERS.map((layer) => ({ ...layer }));

const status = document.getElementById('status') as HTMLElement;
const selfVideo = document.getElementById('self') as HTMLVideoElement;
const remoteVideo = document.getElementById('remote') as HTMLVideoElement;
const remote = new MediaStream();

function data<T>(answer: BareAnswer<T>): T {
  if (!answer.ok) throw new Error(answer.error);
  return answer.data;
}

async function run(): Promise<void> {
  // the devices open while the signalling connects, as on the consult screen
  const microphone = navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true },
  });
  const camera = navigator.mediaDevices.getUserMedia({
    video: { ...CAMERA_CAPTURE },
  });
  const socket: Socket<BareServerToClient, BareClientToServer> = io({ transports: ['websocket', 'polling'] });
  const timed = (): Socket<BareServerToClient, BareClientToServer> => socket.timeout(15_000);

  const { routerRtpCapabilities } = data(await timed().emitWithAck('join'));
  const device = new Device();
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });

  const transport = async (direction: 'send' | 'recv'): Promise<types.Transport> => {
    const options: BareTransport = data(await timed().emitWithAck('transport', { direction }));
    const params = {
      id: options.id,
      iceParameters: options.iceParameters as types.IceParameters,
      iceCandidates: options.iceCandidates as types.IceCandidate[],
      dtlsParameters: options.dtlsParameters as types.DtlsParameters,
    };
    const t = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
    t.on('connect', ({ dtlsParameters }, done, fail) => {
      timed()
        .emitWithAck('transport:connect', { transportId: t.id, dtlsParameters })
        .then((a) => {
          data(a);
          done();
        })
        .catch(fail);
    });
    if (direction === 'send')
      t.on('produce', ({ kind, rtpParameters }, done, fail) => {
        timed()
          .emitWithAck('produce', { transportId: t.id, kind, rtpParameters })
          .then((a) => {
            done(data(a));
          })
          .catch(fail);
      });
    return t;
  };

  const recv = await transport('recv');
  const send = await transport('send');
  socket.on('consumer', (offer, ack) => {
    recv
      .consume({
        id: offer.id,
        producerId: offer.producerId,
        kind: offer.kind,
        rtpParameters: offer.rtpParameters as types.RtpParameters,
      })
      .then((consumer) => {
        remote.addTrack(consumer.track);
        remoteVideo.srcObject = remote;
        ack(true);
        // resumed once the page holds it, so the first key frame is not lost
        void timed().emitWithAck('resume', { consumerId: consumer.id });
      })
      .catch(() => {
        ack(false);
      });
  });
  data(await timed().emitWithAck('ready', { rtpCapabilities: device.recvRtpCapabilities }));

  const audio = (await microphone).getAudioTracks()[0];
  const video = (await camera).getVideoTracks()[0];
  if (!audio || !video) throw new Error('no camera or microphone');
  selfVideo.srcObject = new MediaStream([video]);
  await send.produce({ track: audio, codecOptions: { opusDtx: true, opusFec: true } });
  await send.produce({
    track: video,
    encodings: CAMERA_ENCODINGS,
    codecOptions: { videoGoogleStartBitrate: 300 },
  });
  status.textContent = 'sending';
}

run().catch((error: unknown) => {
  status.textContent = `failed: ${String(error)}`;
});
