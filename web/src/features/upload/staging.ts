/**
 * Where an upload's batch bodies wait to be sent: the origin's private file system, one folder per upload. A page
 * cannot reopen files dropped before a reload; what is staged here can be, so an upload survives a reload or a
 * closed tab and continues when the page is opened again.
 */
const ROOT = 'uploads';

/** The folder of one upload's staged batches. */
export async function stagingDirectory(uploadId: string, create = false): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  const uploads = await root.getDirectoryHandle(ROOT, { create: true });
  return uploads.getDirectoryHandle(uploadId, { create });
}

/** A staged batch, as a File the browser reads from disk when sending. */
export async function stagedBatch(uploadId: string, name: string): Promise<File> {
  return (await (await stagingDirectory(uploadId)).getFileHandle(name)).getFile();
}

/** Removes one staged batch once it has been sent. */
export async function removeStagedBatch(uploadId: string, name: string): Promise<void> {
  await (await stagingDirectory(uploadId)).removeEntry(name).catch(() => undefined);
}

/** Removes an upload's staged folder, and any left by uploads that no longer exist. */
export async function removeStaging(keep: string | null): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const uploads = await root.getDirectoryHandle(ROOT, { create: true });
  // a batch still being read by an upload just stopped cannot be removed yet: try again for a few seconds
  for (let attempt = 0; attempt < 20; attempt++) {
    const names: string[] = [];
    for await (const name of (uploads as unknown as { keys(): AsyncIterable<string> }).keys()) {
      if (name !== keep) names.push(name);
    }
    if (names.length === 0) return;
    for (const name of names) await uploads.removeEntry(name, { recursive: true }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Room left on disk for this site, in bytes; null when the browser does not say. */
export async function freeSpace(): Promise<number | null> {
  const estimate = await navigator.storage.estimate();
  if (estimate.quota === undefined || estimate.usage === undefined) return null;
  return estimate.quota - estimate.usage;
}
