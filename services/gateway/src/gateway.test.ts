import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { readInstanceIdentity } from '@telemed/dicom/node';
import { startGateway, type Gateway } from './gateway.js';
import { dataSetOf, dcmtkSkipReason, pydicomSamples, run } from './test/dcmtk.js';
import { DimseRecorder } from './test/dimse-recorder.js';
import { StowPeer } from './test/stow-peer.js';
import { testLog } from './test/test-log.js';
import { waitFor } from './test/wait-for.js';

const skip = dcmtkSkipReason();
if (skip) process.stdout.write(`gateway DIMSE tests skipped: ${skip}\n`);

describe.skipIf(skip)('the gateway with dcmtk as the modality', () => {
  let dir: string;
  let peer: StowPeer;
  let gateway: Gateway;
  let port: string;
  const samples = pydicomSamples();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-dimse-'));
    peer = await StowPeer.start();
    // The api is down at first, so what storescu sends can be inspected in the spool before it is forwarded.
    peer.handler = () => ({ status: 503 });
    const config = loadConfig({
      GATEWAY_DIMSE_PORT: '0',
      GATEWAY_SPOOL_DIR: join(dir, 'spool'),
      GATEWAY_SPOOL_MIN_FREE_MB: '0',
      GATEWAY_API_URL: peer.url,
      GATEWAY_API_USERNAME: 'county-gateway',
      GATEWAY_API_PASSWORD: 'secret',
      GATEWAY_RETRY_MIN_MS: '50',
      GATEWAY_RETRY_MAX_MS: '200',
    });
    gateway = await startGateway(config, testLog());
    port = String(gateway.dimsePort);
  });

  afterAll(async () => {
    await gateway.close();
    await peer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers C-ECHO called to TELEMED', async () => {
    const echo = await run('echoscu', ['-aec', 'TELEMED', '127.0.0.1', port]);
    expect(echo.code, echo.output).toBe(0);
  });

  it('rejects an association called to another AE title, saying so', async () => {
    const echo = await run('echoscu', ['-v', '-aec', 'ARCHIVE', '127.0.0.1', port]);
    expect(echo.code).not.toBe(0);
    expect(echo.output).toContain('Called AE Title Not Recognized');
  });

  it('spools what storescu sends as valid Part 10 files, then forwards them byte for byte', async () => {
    if (!samples) throw new Error('samples vanished');
    const inputs = [samples.ct, samples.mr, samples.jpeg2000];
    const recorder = await DimseRecorder.start(gateway.dimsePort);
    // -xw also proposes JPEG 2000, so the compressed sample travels as it is instead of being refused.
    const store = await run('storescu', [
      '-v',
      '-xw',
      '-aec',
      'TELEMED',
      '127.0.0.1',
      String(recorder.port),
      ...inputs,
    ]);
    await recorder.close();
    expect(store.code, store.output).toBe(0);
    expect(store.output.match(/Received Store Response \(Success\)/g)).toHaveLength(3);
    // dcmtk re-encodes on the way out (explicit-length sequences), so "what storescu sent" is what was on the wire.
    const onTheWire = recorder.dataSets();
    expect(onTheWire).toHaveLength(3);

    const incoming = join(dir, 'spool', 'incoming');
    const files = await readdir(incoming);
    expect(files).toHaveLength(3);
    const spooledFiles: Buffer[] = [];
    for (const [index, input] of inputs.entries()) {
      const identity = await readInstanceIdentity(input);
      const name = files.find((file) => file.includes(`_${identity.sopInstanceUid}_`));
      expect(name, `spool file for ${input}`).toBeDefined();
      const path = join(incoming, name ?? '');
      // dcmdump reads the spool file as Part 10, with the transfer syntax the data set travelled in.
      const dump = await run('dcmdump', ['-M', '+P', '0002,0010', '+P', '0008,0018', path]);
      expect(dump.code, dump.output).toBe(0);
      expect(dump.output).toContain(index < 2 ? '=LittleEndianExplicit' : '=JPEG2000');
      expect(dump.output).toContain(identity.sopInstanceUid);
      const spooled = await readFile(path);
      expect(dataSetOf(spooled).equals(onTheWire[index] ?? Buffer.alloc(0))).toBe(true);
      spooledFiles.push(spooled);
    }

    peer.handler = () => undefined;
    await waitFor(async () => (await readdir(incoming)).length === 0, 'the spool to drain');
    // Three studies, so three requests, each part exactly the spooled Part 10 file.
    const delivered = peer.stows.filter((stow) => stow.parts.length > 0).slice(-3);
    expect(delivered.map((stow) => stow.parts.length)).toEqual([1, 1, 1]);
    for (const spooled of spooledFiles)
      expect(delivered.some((stow) => stow.parts[0]?.equals(spooled))).toBe(true);
  });
});
