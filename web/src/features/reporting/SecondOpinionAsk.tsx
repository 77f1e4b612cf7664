import { permits, type CaseDetail, type SecondOpinionCandidate } from '@telemed/contracts';
import { Alert, App, Button, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api-client';
import { hospitalTime } from '../../lib/format';
import { useSession } from '../auth/useSession';
import './messages';
import { useSecondOpinionCandidates, useSecondOpinionStep } from './reporting-api';

interface AskProps {
  c: CaseDetail;
  /** the clock times are shown on */
  timeZone: string;
  /** reads the case again after a change */
  onChanged: () => void;
}

/** One colleague in the list: name, where they work, and whether the roster has them on duty now. */
function Colleague({ person }: { person: SecondOpinionCandidate }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="second-opinion-colleague">
      <span>
        <Typography.Text strong>{person.displayName}</Typography.Text>{' '}
        <Typography.Text type="secondary">
          {person.hospitalName} {person.departmentName}
        </Typography.Text>
      </span>
      {person.onDuty ? (
        <Tag color="#237804">{t('reporting.onDuty')}</Tag>
      ) : (
        <Tag>{t('reporting.offDuty')}</Tag>
      )}
    </div>
  );
}

/**
 * The assigned reader asks a colleague of the case's or a partnered department for a second opinion: whom (with
 * where they work and who is on duty), what to look at. While the request is open: to whom, since when, and
 * withdraw; the answers received stay here, beside the report they bear on. Nothing for anyone the permission table
 * does not let ask.
 */
export function SecondOpinionAsk({ c, timeZone, onChanged }: AskProps): React.JSX.Element | null {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useSession()?.user;
  const [form] = Form.useForm<{ specialistId: string; question: string }>();
  const mayAsk =
    !!user &&
    permits(
      { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
      'request_second_opinion',
      c,
    );
  const open = c.secondOpinions.find((o) => o.state === 'open');
  const answered = c.secondOpinions.filter((o) => o.state === 'answered');
  const candidates = useSecondOpinionCandidates(c.id, mayAsk && !open);
  const step = useSecondOpinionStep(c.id, onChanged);
  if (!mayAsk) return null;

  const when = (iso: string | null): string => hospitalTime(iso, timeZone, i18n.language);
  // the api's own words: what is wrong and what to do
  const refused = (e: unknown): void => {
    void message.error(e instanceof ApiError ? e.message : t('errors.network'));
  };
  const people = candidates.data ?? [];
  const dutyWord = (p: SecondOpinionCandidate): string =>
    t(p.onDuty ? 'reporting.onDuty' : 'reporting.offDuty');

  return (
    <section className="report-second-opinion" aria-labelledby="second-opinion-title">
      <h4 id="second-opinion-title" className="report-versions-title">
        {t('reporting.secondOpinion')}
      </h4>
      {answered.length > 0 && (
        <ul className="report-versions-list" aria-label={t('reporting.opinionsReceived')}>
          {answered.map((o) => (
            <li key={o.id} className="second-opinion-answer">
              <Typography.Text type="secondary">
                {t('reporting.opinionFrom', { name: o.specialistName, time: when(o.answeredAt) })}
              </Typography.Text>
              <Typography.Paragraph className="pre-wrap second-opinion-question" type="secondary">
                {t('reporting.askedQuestion', { question: o.question })}
              </Typography.Paragraph>
              <Typography.Paragraph className="pre-wrap" strong>
                {o.opinion}
              </Typography.Paragraph>
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <div className="second-opinion-open">
          <Space wrap size={8}>
            <Tag color="#ad4e00">{t('reporting.waiting')}</Tag>
            <Typography.Text>
              {t('reporting.askedOf', { name: open.specialistName, time: when(open.requestedAt) })}
            </Typography.Text>
          </Space>
          <Typography.Paragraph className="pre-wrap second-opinion-question">
            {t('reporting.askedQuestion', { question: open.question })}
          </Typography.Paragraph>
          <Popconfirm
            title={t('reporting.withdrawTitle', { name: open.specialistName })}
            okText={t('reporting.withdrawOk')}
            cancelText={t('reporting.cancel')}
            onConfirm={() => {
              step.mutate(
                { step: 'withdraw' },
                {
                  onSuccess: () => void message.success(t('reporting.withdrawn')),
                  onError: refused,
                },
              );
            }}
          >
            <Button loading={step.isPending}>{t('reporting.withdraw')}</Button>
          </Popconfirm>
        </div>
      ) : (
        <Form
          form={form}
          name="second-opinion"
          layout="vertical"
          aria-label={t('reporting.secondOpinion')}
          onFinish={(v) => {
            const name = people.find((p) => p.userId === v.specialistId)?.displayName ?? '';
            step.mutate(
              { step: 'ask', request: { specialistId: v.specialistId, question: v.question.trim() } },
              {
                onSuccess: () => {
                  form.resetFields();
                  void message.success(t('reporting.requestSent', { name }));
                },
                onError: refused,
              },
            );
          }}
        >
          <Typography.Paragraph type="secondary">{t('reporting.secondOpinionHint')}</Typography.Paragraph>
          {candidates.error && (
            <Alert
              type="error"
              showIcon
              title={candidates.error instanceof ApiError ? candidates.error.message : t('errors.network')}
            />
          )}
          <Form.Item
            name="specialistId"
            label={t('reporting.colleague')}
            rules={[{ required: true, message: t('reporting.colleagueRequired') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('reporting.colleaguePlaceholder')}
              loading={candidates.isLoading}
              notFoundContent={candidates.isLoading ? null : t('reporting.noColleagues')}
              options={people.map((p) => ({
                value: p.userId,
                label: `${p.displayName} · ${p.hospitalName} ${p.departmentName} · ${dutyWord(p)}`,
                person: p,
              }))}
              optionRender={(option) => <Colleague person={option.data.person} />}
            />
          </Form.Item>
          <Form.Item
            name="question"
            label={t('reporting.question')}
            rules={[{ required: true, whitespace: true, message: t('reporting.questionRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
          </Form.Item>
          <Button htmlType="submit" loading={step.isPending}>
            {t('reporting.sendRequest')}
          </Button>
        </Form>
      )}
    </section>
  );
}
