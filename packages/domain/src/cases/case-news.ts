import type { Case, ReportKind } from '@telemed/contracts';
import type { Work } from '../context.js';
import { notify } from '../follow-ups.js';
import { caseLine } from '../routing/notification-text.js';

const REPORT_KIND_LABEL: Record<ReportKind, string> = {
  preliminary: '初步报告',
  final: '正式报告',
  addendum: '补充报告',
};

/** Tells the technician who opened the case that a specialist now has it (assigned, routed or claimed). */
export async function announceAccepted(work: Work, c: Case): Promise<void> {
  await notify(work, [
    {
      userId: c.createdBy,
      caseId: c.id,
      kind: 'case.accepted',
      page: false,
      title: `病例已分配 ${caseLine(c)}`,
      body: c.assignedSpecialistName ? `诊断医生：${c.assignedSpecialistName}` : '',
    },
  ]);
}

/** Tells the technician who opened the case that a report version has been written. */
export async function announceReport(
  work: Work,
  c: Case,
  kind: ReportKind,
  critical: boolean,
): Promise<void> {
  await notify(work, [
    {
      userId: c.createdBy,
      caseId: c.id,
      kind: 'case.reported',
      // a critical finding is to be seen at once
      page: critical,
      title: `${critical ? '危急值 ' : ''}${REPORT_KIND_LABEL[kind]} ${caseLine(c)}`,
      body: c.assignedSpecialistName ? `签发医生：${c.assignedSpecialistName}` : '',
    },
  ]);
}

/**
 * Tells the other side of the thread of a new comment: the technician who opened the case and its specialist, but
 * not the one who wrote it. The text stays on the case page: notifications show on lock screens.
 */
export async function announceComment(
  work: Work,
  c: Case,
  authorId: string,
  authorName: string,
): Promise<void> {
  const readers = new Set([c.createdBy, c.assignedSpecialistId].filter((u): u is string => !!u));
  readers.delete(authorId);
  await notify(
    work,
    [...readers].map((userId) => ({
      userId,
      caseId: c.id,
      kind: 'case.commented' as const,
      page: false,
      title: `新留言 ${caseLine(c)}`,
      body: `${authorName} 留言`,
    })),
  );
}

/**
 * Rings the other side of a case when someone starts its video consult: the technician who opened the case when the
 * specialist (or an administrator) starts it, the assigned specialist when the county side does. It pages: a call
 * is answered now or not at all.
 */
export async function announceConsult(
  work: Work,
  c: Case,
  startedBy: string,
  startedByName: string,
): Promise<void> {
  const countySide = c.createdBy === startedBy || work.caller.actor.departmentId === c.requestingDepartmentId;
  const callee = countySide ? c.assignedSpecialistId : c.createdBy;
  if (!callee || callee === startedBy) return;
  await notify(work, [
    {
      userId: callee,
      caseId: c.id,
      kind: 'consult.invited',
      page: true,
      title: `视频会诊邀请 ${caseLine(c)}`,
      body: `${startedByName} 已发起会诊，正在等您加入`,
    },
  ]);
}
