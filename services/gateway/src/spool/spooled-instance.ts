/** An instance waiting in `incoming/`, as its file name describes it. */
export interface SpoolEntry {
  path: string;
  fileName: string;
  studyInstanceUid: string;
  sopInstanceUid: string;
  /** Sorts in the order instances were received. */
  receipt: string;
}

/** A spool entry with the size of its Part 10 file, ready to be batched. */
export interface SpooledInstance extends SpoolEntry {
  size: number;
}
