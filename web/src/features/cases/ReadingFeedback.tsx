import { useMutation } from '@tanstack/react-query';
import {
  CRITICAL_ACK_METHODS,
  permits,
  type CaseDetail,
  type CriticalAckMethod,
  type CriticalFinding,
  type ImageQualityRating,
  type SecondOpinion,
} from '@telemed/contracts';
import { Alert, App, Button, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../components/Panel';
import { ApiError, api } from '../../lib/api-client';
import { hospitalTime } from '../../lib/format';
import { useSession } from '../auth/useSession';
import './reading-feedback-messages';

interface FeedbackProps {
  c: CaseDetail;
  /** the requesting hospital's clock */
  timeZone: string;
  /** reads the case again after a change */
  onChanged: () => void;
}

function useRefused(): (e: unknown) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return (e) => void message.error(e instanceof ApiError ? e.message : t('errors.network'));
}

/**
 * A critical finding: who flagged it and when, who was told as time ran out, and who acknowledged it, how and when.
 * The requesting hospital's staff acknowledge it here while it is open.
 */
function CriticalFindingAlert({
  c,
  finding,
  timeZone,
  onChanged,
}: FeedbackProps & { finding: CriticalFinding }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const refused = useRefused();
  const user = useSession()?.user;
  const [form] = Form.useForm<{ method: CriticalAckMethod; note?: string }>();
  const when = (iso: string): string => hospitalTime(iso, timeZone, i18n.language);
  const mayAcknowledge =
    !finding.acknowledgedAt &&
    !!user &&
    permits(
      { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
      'acknowledge_critical',
      c,
    );
  const acknowledge = useMutation({
    mutationFn: (body: { method: CriticalAckMethod; note?: string }) =>
      api('POST', `/api/cases/${c.id}/critical-acknowledgement`, body),
    onSuccess: () => {
      void message.success(t('feedback.acknowledged'));
      onChanged();
    },
    onError: refused,
  });

  const escalations = [
    finding.headEscalatedAt && t('feedback.headEscalated', { time: when(finding.headEscalatedAt) }),
    finding.adminEscalatedAt && t('feedback.adminEscalated', { time: when(finding.adminEscalatedAt) }),
  ].filter((s): s is string => !!s);

  return (
    <Alert
      type={finding.acknowledgedAt ? 'info' : 'error'}
      showIcon
      role="alert"
      className="critical-alert"
      title={
        finding.acknowledgedAt
          ? t('feedback.criticalAcknowledgedTitle')
          : t('feedback.criticalOpenTitle', { version: finding.reportVersion })
      }
      description={
        <Space orientation="vertical" size={4} className="full-width">
          <Typography.Text>
            {t('feedback.flagged', { name: finding.flaggedByName, time: when(finding.flaggedAt) })}
          </Typography.Text>
          {!finding.acknowledgedAt && !finding.headEscalatedAt && (
            <Typography.Text>{t('feedback.headDue', { time: when(finding.headDueAt) })}</Typography.Text>
          )}
          {escalations.map((line) => (
            <Typography.Text key={line} strong>
              {line}
            </Typography.Text>
          ))}
          {finding.acknowledgedAt && (
            <Typography.Text strong>
              {t('feedback.acknowledgedBy', {
                name: finding.acknowledgedByName ?? '',
                time: when(finding.acknowledgedAt),
                method: finding.method ? t(`feedback.method.${finding.method}`) : '',
              })}
              {finding.note ? ` ${t('feedback.note', { note: finding.note })}` : ''}
            </Typography.Text>
          )}
          {mayAcknowledge && (
            <Form
              form={form}
              layout="vertical"
              aria-label={t('feedback.acknowledgeForm')}
              className="critical-ack-form"
              onFinish={(values) => {
                const note = values.note?.trim();
                acknowledge.mutate({ method: values.method, ...(note ? { note } : {}) });
              }}
            >
              <Form.Item
                name="method"
                label={t('feedback.methodLabel')}
                rules={[{ required: true, message: t('feedback.methodRequired') }]}
              >
                <Radio.Group
                  options={CRITICAL_ACK_METHODS.map((m) => ({ value: m, label: t(`feedback.method.${m}`) }))}
                />
              </Form.Item>
              <Form.Item name="note" label={t('feedback.noteLabel')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
              </Form.Item>
              <Button type="primary" danger htmlType="submit" loading={acknowledge.isPending}>
                {t('feedback.acknowledge')}
              </Button>
            </Form>
          )}
        </Space>
      }
    />
  );
}

/** One rating of a case's images: the score, what was wrong, who rated it and when, the advice. */
export function QualityLine({
  score,
  categories,
  ratedByName,
  ratedAt,
  comment,
  timeZone,
  extra,
}: {
  score: number;
  categories: readonly string[];
  ratedByName: string;
  ratedAt: string;
  comment: string;
  timeZone: string;
  extra?: React.ReactNode;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  return (
    <li>
      <Space wrap size={8}>
        <Typography.Text strong>{t('feedback.score', { score })}</Typography.Text>
        {categories.map((k) => (
          <Tag key={k}>{t(`feedback.category.${k}`)}</Tag>
        ))}
        <Typography.Text type="secondary">
          {t('feedback.ratedBy', { name: ratedByName, time: hospitalTime(ratedAt, timeZone, i18n.language) })}
        </Typography.Text>
        {extra}
      </Space>
      {comment && <Typography.Paragraph className="pre-wrap">{comment}</Typography.Paragraph>}
    </li>
  );
}

/** The readers' ratings of the images: 带教 feedback the technician reads on the case. */
function QualityList({
  ratings,
  timeZone,
}: {
  ratings: ImageQualityRating[];
  timeZone: string;
}): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ul className="quality-list" aria-label={t('feedback.quality')}>
      {ratings.map((r) => (
        <QualityLine key={r.id} {...r} timeZone={timeZone} />
      ))}
    </ul>
  );
}

/**
 * The second opinions asked for on the case; the asked specialist writes the answer here. A request withdrawn while
 * its answer is being written keeps the form and the text: sending then shows the api's refusal beside it, and
 * nothing typed is lost.
 */
function SecondOpinions({ c, timeZone, onChanged }: FeedbackProps): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useSession()?.user;
  const [form] = Form.useForm<{ opinion: string }>();
  // the request whose answer has text in the form
  const [writing, setWriting] = useState<string | null>(null);
  const answer = useMutation({
    mutationFn: (opinion: string) => api('POST', `/api/cases/${c.id}/second-opinion/opinion`, { opinion }),
    onSuccess: () => {
      void message.success(t('feedback.opinionSent'));
      setWriting(null);
      onChanged();
    },
  });
  const when = (iso: string): string => hospitalTime(iso, timeZone, i18n.language);
  const line = (o: SecondOpinion): string =>
    t('feedback.asked', { from: o.requestedByName, to: o.specialistName, time: when(o.requestedAt) });
  return (
    <ul className="quality-list" aria-label={t('feedback.secondOpinions')}>
      {c.secondOpinions.map((o) => (
        <li key={o.id}>
          <Space wrap size={8}>
            <Tag>{t(`feedback.opinionState.${o.state}`)}</Tag>
            <Typography.Text type="secondary">{line(o)}</Typography.Text>
          </Space>
          <Typography.Paragraph className="pre-wrap">{o.question}</Typography.Paragraph>
          {o.opinion && (
            <Typography.Paragraph className="pre-wrap" strong>
              {o.opinion}
            </Typography.Paragraph>
          )}
          {o.specialistId === user?.id && (o.state === 'open' || o.id === writing) && (
            <Form
              form={form}
              layout="vertical"
              aria-label={t('feedback.opinionForm')}
              onValuesChange={(_, v) => {
                setWriting(v.opinion.trim() ? o.id : null);
              }}
              onFinish={(v) => {
                answer.mutate(v.opinion.trim());
              }}
            >
              {answer.error && (
                <Form.Item>
                  <Alert
                    type="error"
                    showIcon
                    title={answer.error instanceof ApiError ? answer.error.message : t('errors.network')}
                  />
                </Form.Item>
              )}
              <Form.Item
                name="opinion"
                label={t('feedback.opinion')}
                rules={[{ required: true, whitespace: true, message: t('feedback.opinionRequired') }]}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={8000} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={answer.isPending}>
                {t('feedback.sendOpinion')}
              </Button>
            </Form>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The case's latest critical finding, at the top of the case page; nothing when there is none. */
export function CriticalFindingBanner(props: FeedbackProps): React.JSX.Element | null {
  const finding = props.c.criticalFinding;
  return finding ? <CriticalFindingAlert {...props} finding={finding} /> : null;
}

/**
 * What the reading gave back beside the report: the image-quality ratings and the second opinions. Nothing when there
 * is none of these.
 */
export function ReadingFeedback(props: FeedbackProps): React.JSX.Element | null {
  const { t } = useTranslation();
  const { c, timeZone } = props;
  if (c.imageQuality.length === 0 && c.secondOpinions.length === 0) return null;
  return (
    <>
      {c.imageQuality.length > 0 && (
        <Panel title={t('feedback.quality')} size="small">
          <QualityList ratings={c.imageQuality} timeZone={timeZone} />
        </Panel>
      )}
      {c.secondOpinions.length > 0 && (
        <Panel title={t('feedback.secondOpinions')} size="small">
          <SecondOpinions {...props} />
        </Panel>
      )}
    </>
  );
}
