import type { Rejection } from '../spool/spool.js';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { parseStowReport } from './stow-response.js';

/** One instance as sent: the spool file it came from and the SOP Instance UID the api will report it under. */
export interface SentInstance {
  instance: SpooledInstance;
  sopInstanceUid: string;
}

/** What to do with each instance of a batch after the api answered. */
export interface StowOutcome {
  forwarded: SpooledInstance[];
  rejected: { instance: SpooledInstance; rejection: Rejection }[];
  retry: SpooledInstance[];
  /** Why instances are retried, for the log; undefined when none are. */
  problem: string | undefined;
}

// PS3.4 B.2.3 / PS3.18 Table 10.5.3-1 failure reasons worth naming in a rejection.
const FAILURE_NAMES = new Map<number, string>([
  [0x0110, 'processing failure'],
  [0x0111, 'duplicate SOP instance'],
  [0x0122, 'SOP class not supported'],
  [0x0124, 'not authorized'],
  [0xa700, 'out of resources'],
  [0xa900, 'data set does not match SOP class'],
  [0xc000, 'cannot understand'],
  [0xc122, 'referenced transfer syntax not supported'],
]);

/** Failures that say "not now" rather than "never": the api was busy or out of space. */
export function isRetryableFailure(reason: number | undefined): boolean {
  return reason === 0x0110 || (reason !== undefined && reason >= 0xa700 && reason <= 0xa7ff);
}

/**
 * Sorts a batch by the api's STOW-RS answer (PS3.18 10.5.3): 200 all stored; 202 some stored, some failed;
 * 409 none stored. Instances in ReferencedSOPSequence are done. Failed ones are retried when the reason is
 * transient and rejected otherwise. A duplicate means the api already holds the instance, as it will after a
 * gateway was stopped between the api's answer and removing the file, so that counts as done. Instances a 202
 * or 409 does not mention, and every instance of any other answer, are retried: nothing leaves the spool on a
 * guess.
 */
export function classifyStowAnswer(
  batch: readonly SentInstance[],
  httpStatus: number,
  body: unknown,
): StowOutcome {
  const outcome: StowOutcome = { forwarded: [], rejected: [], retry: [], problem: undefined };
  if (httpStatus !== 200 && httpStatus !== 202 && httpStatus !== 409) {
    outcome.retry = batch.map((sent) => sent.instance);
    outcome.problem = `the api answered HTTP ${httpStatus}`;
    return outcome;
  }
  const report = parseStowReport(body);
  const problems: string[] = [];
  for (const { instance, sopInstanceUid } of batch) {
    if (report.failed.has(sopInstanceUid)) {
      const reason = report.failed.get(sopInstanceUid);
      if (reason === 0x0111) outcome.forwarded.push(instance);
      else if (isRetryableFailure(reason)) {
        outcome.retry.push(instance);
        problems.push(`the api could not store an instance for now (${describeReason(reason)})`);
      } else
        outcome.rejected.push({
          instance,
          rejection: {
            httpStatus,
            failureReason: reason,
            message: `the api refused the instance: ${describeReason(reason)}`,
          },
        });
    } else if (report.stored.has(sopInstanceUid) || httpStatus === 200) {
      outcome.forwarded.push(instance);
    } else {
      outcome.retry.push(instance);
      problems.push(`the api's HTTP ${httpStatus} answer did not say whether an instance was stored`);
    }
  }
  if (problems.length) outcome.problem = [...new Set(problems)].join('; ');
  return outcome;
}

function describeReason(reason: number | undefined): string {
  if (reason === undefined) return 'no failure reason given';
  const hex = `0x${reason.toString(16).toUpperCase().padStart(4, '0')}`;
  const name =
    FAILURE_NAMES.get(reason) ?? (reason >= 0xa700 && reason <= 0xa7ff ? 'out of resources' : undefined);
  return name ? `${name} (${hex})` : hex;
}
