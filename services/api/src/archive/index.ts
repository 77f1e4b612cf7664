import type { FastifyPluginAsync } from 'fastify';
import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { LocalDiskStore } from './local-disk-store.js';
import { S3Store, type S3StoreOptions } from './s3-store.js';
import { qidoRoutes } from './qido-routes.js';
import { stowRoutes } from './stow-routes.js';
import { StudyStabilityWatcher } from './study-stability.js';
import { uploadRoutes } from './upload-routes.js';
import { wadoRoutes, wadoUriRoutes } from './wado-routes.js';

export interface ArchiveOptions {
  archiveDir: string;
  /** when set, blobs live in this S3-compatible store instead of archiveDir */
  s3: S3StoreOptions | null;
  maxInstanceBytes: number;
  maxUploadBytes: number;
  stableSeconds: number;
}

/** The DICOM archive: DICOMweb (STOW, QIDO, WADO-RS) under /dicomweb and WADO-URI at /wado. */
export const archiveRoutes: FastifyPluginAsync<ArchiveOptions> = async (app, options) => {
  const store: BlobStore = options.s3
    ? new S3Store(options.s3)
    : await LocalDiskStore.open(options.archiveDir);
  const stability = new StudyStabilityWatcher({
    db: app.db,
    queue: app.queues.studyStable,
    stableSeconds: options.stableSeconds,
    log: app.log,
  });
  stability.start();
  app.addHook('onClose', async () => {
    await stability.close();
    await store.close();
  });
  await app.register(
    async (dicomweb) => {
      await dicomweb.register(stowRoutes, { store, maxInstanceBytes: options.maxInstanceBytes });
      await dicomweb.register(qidoRoutes);
      await dicomweb.register(wadoRoutes, { store });
    },
    { prefix: '/dicomweb' },
  );
  await app.register(wadoUriRoutes, { store });
  await app.register(uploadRoutes, {
    store,
    uploadDir: join(options.archiveDir, 'uploads'),
    maxInstanceBytes: options.maxInstanceBytes,
    maxUploadBytes: options.maxUploadBytes,
  });
};
