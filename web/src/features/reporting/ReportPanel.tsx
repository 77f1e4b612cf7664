import {
  availableCaseActions,
  type Case,
  type CaseAction,
  type Report,
  type ReportKind,
} from '@telemed/contracts';
import { App, Button, Checkbox, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../lib/api-client';
import { hospitalTime } from '../../lib/format';
import { useSession } from '../auth/useSession';
import './messages';
import { clearDraft, loadDraft, saveDraft } from './report-draft';
import { useReportStep } from './reporting-api';
import './reporting.css';

/** The text of a report version as the form holds it. */
export interface ReportText {
  findings: string;
  impression: string;
  critical: boolean;
}

/** What the case page hands the report panel. */
export interface ReportPanelProps {
  c: Case;
  /** every report version, oldest first */
  reports: Report[];
  /** the clock times are shown on */
  timeZone: string;
  /** called after each step, to read the case again */
  onChanged: () => void;
  /**
   * Above the text areas while a report is being written: where a report template is chosen; `fill` puts text into
   * the form.
   */
  tools?: (fill: (text: Partial<ReportText>) => void) => ReactNode;
  /** Below the form: second opinion, image-quality rating and critical-result acknowledgement. */
  after?: ReactNode;
}

const KIND_COLOR: Record<ReportKind, string> = {
  preliminary: '#1f6f8b',
  final: '#237804',
  addendum: '#5b3f8c',
};

/**
 * The assigned specialist's report panel: start reading, findings and impression, a critical finding, save a
 * preliminary, sign the final (after a confirmation: it is locked), then addenda with their reason; the versions with
 * author and time; the study in the viewer. Offers exactly what the permission table allows; nothing for others.
 */
export function ReportPanel({
  c,
  reports,
  timeZone,
  onChanged,
  tools,
  after,
}: ReportPanelProps): React.JSX.Element | null {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { message, modal } = App.useApp();
  const run = useReportStep(c.id, onChanged);
  const [form] = Form.useForm<ReportText & { reason?: string }>();
  const [releasing, setReleasing] = useState(false);
  const [releaseForm] = Form.useForm<{ reason?: string }>();
  const [amending, setAmending] = useState(false);
  const user = session?.user;
  const offered: CaseAction[] = user
    ? availableCaseActions(
        { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
        c,
      )
    : [];
  const latest = reports.at(-1);

  const userId = user?.id ?? '';
  // the text being written survives a visit to the viewer; otherwise the latest version is where the next one starts
  useEffect(() => {
    const draft = userId ? loadDraft(userId, c.id) : null;
    form.setFieldsValue({
      ...(latest
        ? { findings: latest.findings, impression: latest.impression, critical: latest.critical }
        : {}),
      ...draft,
    });
    if (draft?.reason) setAmending(true);
  }, [form, latest, userId, c.id]);

  const mayWrite = offered.some((a) => a === 'preliminary' || a === 'finalize');
  const mayAmend = offered.includes('addendum');
  if (!offered.some((a) => ['start_review', 'preliminary', 'finalize', 'addendum', 'release'].includes(a))) {
    return null;
  }

  const refused = (e: unknown): void => {
    // the api's own words: what is wrong and what to do
    void message.error(e instanceof ApiError ? e.message : t('errors.network'));
  };
  const write = async (kind: ReportKind, done: string): Promise<void> => {
    const values = await form.validateFields();
    try {
      await run.mutateAsync({
        step: 'report',
        report: {
          kind,
          findings: values.findings.trim(),
          impression: values.impression.trim(),
          critical: values.critical,
          ...(kind === 'addendum' ? { reason: (values.reason ?? '').trim() } : {}),
        },
      });
      clearDraft(userId, c.id);
      if (kind === 'addendum') {
        setAmending(false);
        form.setFieldValue('reason', undefined);
      }
      void message.success(done);
    } catch (e) {
      refused(e);
    }
  };
  const sign = (): void => {
    void form
      .validateFields()
      .then(() => {
        modal.confirm({
          title: t('reporting.signTitle'),
          content: t('reporting.signHint'),
          okText: t('reporting.signOk'),
          cancelText: t('reporting.cancel'),
          onOk: () => write('final', t('reporting.signed')),
        });
      })
      .catch(() => undefined);
  };
  const fill = (text: Partial<ReportText>): void => {
    form.setFieldsValue(text);
  };

  const textFields = (
    <>
      {tools?.(fill)}
      <Form.Item
        name="findings"
        label={t('reporting.findings')}
        rules={[{ required: true, whitespace: true, message: t('reporting.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 5, maxRows: 16 }} maxLength={20000} />
      </Form.Item>
      <Form.Item
        name="impression"
        label={t('reporting.impression')}
        rules={[{ required: true, whitespace: true, message: t('reporting.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} />
      </Form.Item>
      <Form.Item name="critical" valuePropName="checked">
        <Checkbox>{t('reporting.critical')}</Checkbox>
      </Form.Item>
    </>
  );

  return (
    <section className="report-panel" aria-labelledby="report-panel-title">
      <header className="report-panel-head">
        <h3 id="report-panel-title" className="report-panel-title">
          {t('reporting.title')}
        </h3>
        {c.studyInstanceUid && (
          <Link
            to={`/cases/${c.id}/viewer`}
            className="ant-btn ant-btn-default ant-btn-sm report-viewer-link"
          >
            {t('reporting.openViewer')}
          </Link>
        )}
      </header>

      {offered.includes('start_review') && (
        <div className="report-start">
          <Typography.Paragraph type="secondary">{t('reporting.assignedHint')}</Typography.Paragraph>
          <Space>
            <Button
              type="primary"
              loading={run.isPending}
              onClick={() => {
                run.mutate(
                  { step: 'start_review' },
                  {
                    onSuccess: () => void message.success(t('reporting.started')),
                    onError: refused,
                  },
                );
              }}
            >
              {t('reporting.startReview')}
            </Button>
          </Space>
        </div>
      )}

      <Form
        form={form}
        layout="vertical"
        initialValues={{ critical: false }}
        aria-label={t('reporting.title')}
        className="report-panel-form"
        onValuesChange={(_, all: ReportText & { reason?: string }) => {
          if (userId) saveDraft(userId, c.id, all);
        }}
      >
        {mayWrite && (
          <>
            {textFields}
            <Space wrap>
              {offered.includes('preliminary') && (
                <Button
                  loading={run.isPending}
                  onClick={() => void write('preliminary', t('reporting.saved')).catch(() => undefined)}
                >
                  {t('reporting.savePreliminary')}
                </Button>
              )}
              {offered.includes('finalize') && (
                <Button type="primary" loading={run.isPending} onClick={sign}>
                  {t('reporting.signFinal')}
                </Button>
              )}
            </Space>
          </>
        )}

        {mayAmend && !amending && (
          <div className="report-amend">
            <Typography.Paragraph type="secondary">{t('reporting.addendumHint')}</Typography.Paragraph>
            <Button
              onClick={() => {
                setAmending(true);
              }}
            >
              {t('reporting.addendum')}
            </Button>
          </div>
        )}
        {mayAmend && amending && (
          <>
            <Form.Item
              name="reason"
              label={t('reporting.addendumReason')}
              rules={[{ required: true, whitespace: true, message: t('reporting.addendumReasonRequired') }]}
            >
              <Input maxLength={1000} />
            </Form.Item>
            {textFields}
            <Space wrap>
              <Button
                type="primary"
                loading={run.isPending}
                onClick={() => void write('addendum', t('reporting.addendumSaved')).catch(() => undefined)}
              >
                {t('reporting.submitAddendum')}
              </Button>
              <Button
                onClick={() => {
                  setAmending(false);
                }}
              >
                {t('reporting.cancel')}
              </Button>
            </Space>
          </>
        )}
      </Form>

      {offered.includes('release') && (
        <div className="report-release">
          <Button
            onClick={() => {
              setReleasing(true);
            }}
          >
            {t('reporting.release')}
          </Button>
        </div>
      )}

      {after}

      <div className="report-versions">
        <h4 className="report-versions-title">{t('reporting.versions')}</h4>
        {reports.length === 0 ? (
          <Typography.Text type="secondary">{t('reporting.noVersions')}</Typography.Text>
        ) : (
          <ul className="report-versions-list" aria-label={t('reporting.versions')}>
            {[...reports].reverse().map((r) => (
              <li key={r.id}>
                <Space wrap size={8}>
                  <Typography.Text strong>{t('reporting.version', { version: r.version })}</Typography.Text>
                  <Tag color={KIND_COLOR[r.kind]}>{t(`reporting.kind.${r.kind}`)}</Tag>
                  {r.critical && <Tag color="#a8071a">{t('reporting.criticalTag')}</Tag>}
                  <Typography.Text type="secondary">
                    {t('reporting.by', {
                      name: r.authorName,
                      time: hospitalTime(r.createdAt, timeZone, i18n.language),
                    })}
                  </Typography.Text>
                  {r.reason && (
                    <Typography.Text>{t('reporting.reason', { reason: r.reason })}</Typography.Text>
                  )}
                </Space>
              </li>
            ))}
          </ul>
        )}
      </div>

      <Modal
        open={releasing}
        title={t('reporting.releaseTitle')}
        okText={t('reporting.release')}
        cancelText={t('reporting.cancel')}
        confirmLoading={run.isPending}
        onCancel={() => {
          setReleasing(false);
        }}
        onOk={() => {
          void releaseForm.validateFields().then(({ reason }) => {
            run.mutate(
              { step: 'release', ...(reason?.trim() ? { reason: reason.trim() } : {}) },
              {
                onSuccess: () => {
                  setReleasing(false);
                  void message.success(t('reporting.released'));
                },
                onError: refused,
              },
            );
          });
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('reporting.releaseHint')}</Typography.Paragraph>
        <Form form={releaseForm} layout="vertical">
          <Form.Item name="reason" label={t('reporting.releaseReason')}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
