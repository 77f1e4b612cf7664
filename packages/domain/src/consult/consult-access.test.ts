import type { Actor } from '@telemed/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseHistory, claimCase, openCase, submitCase } from '../index.js';
import type { Domain } from '../context.js';
import { createPartneredWorld, type PartneredWorld } from '../test/partnered-world.js';
import { recordConsultEvent, requireConsultAccess } from './consult-access.js';

const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'consult-test' };
let world: PartneredWorld;
let domain: Domain;
let people: Record<string, Actor>;
let caseId = '';

beforeAll(async () => {
  world = await createPartneredWorld();
  people = world.people;
  // no queue here: relaying fails and the outbox rows stay, as with Redis away
  domain = {
    db: world.db,
    jobs: { add: () => Promise.reject(new Error('no queue in these tests')) },
    onRelayError: () => undefined,
  };
  const as = (u: string) => ({ actor: people[u] as Actor, origin });
  const opened = await openCase(domain, as('tech'), {
    patient: { mrn: 'XJ-1', name: 'ئايگۈل', sex: 'F' },
    urgency: 'urgent',
    clinicalQuestion: '胸痛',
  });
  caseId = opened.id;
  await submitCase(domain, as('tech'), caseId);
  await claimCase(domain, as('reader'), caseId);
});
afterAll(async () => {
  await world.close();
});

describe("a case's video consult", () => {
  const allowed = ['tech', 'reader', 'admin'];
  const refused: [string, RegExp][] = [
    ['ultrasound', /only the assigned specialist, staff of the requesting department or an administrator/],
    ['colleague', /only the assigned specialist, staff of the requesting department or an administrator/],
    ['elsewhere', /was not found/],
  ];

  for (const who of allowed) {
    it(`lets ${who} in`, async () => {
      await expect(requireConsultAccess(domain, people[who] as Actor, caseId)).resolves.toMatchObject({
        id: caseId,
      });
    });
  }
  for (const [who, reason] of refused) {
    it(`refuses ${who}, saying why`, async () => {
      await expect(requireConsultAccess(domain, people[who] as Actor, caseId)).rejects.toThrow(reason);
    });
  }

  it('keeps who started and joined it in the case history and the audit trail, and nothing of a refused one', async () => {
    await recordConsultEvent(domain, { actor: people.reader as Actor, origin }, caseId, 'consult_started');
    await recordConsultEvent(domain, { actor: people.tech as Actor, origin }, caseId, 'consult_joined');
    await expect(
      recordConsultEvent(domain, { actor: people.colleague as Actor, origin }, caseId, 'consult_joined'),
    ).rejects.toThrow(/only the assigned specialist/);
    const history = await caseHistory(domain, people.admin as Actor, caseId);
    expect(
      history.filter((h) => h.action.startsWith('consult_')).map((h) => [h.action, h.actorName]),
    ).toEqual([
      ['consult_started', 'reader'],
      ['consult_joined', 'tech'],
    ]);
    const audit = await world.db.audit.query({ resourceId: caseId, action: 'case.consult_joined' });
    expect(audit.items.map((e) => e.actorUsername)).toEqual(['tech']);
  });
});
