import {
  DEFAULT_TIME_ZONE,
  rolePermits,
  availableCaseActions,
  type Case,
  type CaseState,
  type Urgency,
} from '@telemed/contracts';
import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../lib/api-client';
import { hospitalTime } from '../../lib/format';
import { useSession } from '../auth/useSession';
import {
  LIST_ACTIONS,
  NEEDS_REASON,
  useCaseAction,
  useCases,
  useHospitals,
  type ListAction,
} from './cases-api';

// solid and dark enough for white text to read at 4.5:1: urgency is the first thing a reader looks for
const URGENCY_COLOR: Record<Urgency, string> = { stat: '#a8071a', urgent: '#ad4e00', routine: 'default' };
const STATE_COLOR: Partial<Record<CaseState, string>> = {
  submitted: 'blue',
  assigned: 'geekblue',
  in_review: 'purple',
  preliminary: '#006d75',
  final: '#237804',
  cancelled: 'default',
};

/** The cases the user may see, most urgent first, each offering exactly the actions the permission table allows. */
export function CaseListPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const cases = useCases();
  const hospitals = useHospitals();
  const act = useCaseAction();
  const { message } = App.useApp();
  const [asking, setAsking] = useState<{ action: ListAction; c: Case } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const zoneOf = useMemo(() => {
    const zones = new Map((hospitals.data ?? []).map((h) => [h.id, h.timeZone]));
    return (hospitalId: string): string => zones.get(hospitalId) ?? DEFAULT_TIME_ZONE;
  }, [hospitals.data]);

  const run = async (action: ListAction, c: Case, reason?: string): Promise<void> => {
    try {
      await act.mutateAsync({ action, id: c.id, ...(reason ? { reason } : {}) });
      void message.success(t('cases.done', { action: t(`action.${action}`) }));
    } catch (e) {
      // the api's own words: what is wrong and what to do
      void message.error(e instanceof ApiError ? e.message : t('errors.network'));
    }
  };

  const user = session?.user;
  const columns: ColumnsType<Case> = [
    {
      title: t('cases.patient'),
      key: 'patient',
      // Uyghur names run right to left: isolated so they sit correctly in a Chinese line
      render: (_, c) => (
        <span>
          <Link to={`/cases/${c.id}`}>
            <bdi lang="">{c.patient.name}</bdi>
          </Link>{' '}
          <Typography.Text type="secondary">{c.patient.mrn}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('cases.urgency'),
      key: 'urgency',
      render: (_, c) => <Tag color={URGENCY_COLOR[c.urgency]}>{t(`urgency.${c.urgency}`)}</Tag>,
    },
    {
      title: t('cases.state'),
      key: 'state',
      render: (_, c) => <Tag color={STATE_COLOR[c.state]}>{t(`state.${c.state}`)}</Tag>,
    },
    {
      title: t('cases.exam'),
      key: 'exam',
      render: (_, c) => [c.modality, c.bodyPart].filter(Boolean).join(' '),
    },
    { title: t('cases.from'), dataIndex: 'requestingHospitalName', key: 'from' },
    { title: t('cases.specialist'), key: 'specialist', render: (_, c) => c.assignedSpecialistName ?? '—' },
    {
      title: t('cases.slaDue'),
      key: 'sla',
      render: (_, c) => hospitalTime(c.slaDueAt, zoneOf(c.requestingHospitalId), i18n.language),
    },
    {
      title: t('cases.created'),
      key: 'created',
      render: (_, c) => hospitalTime(c.createdAt, zoneOf(c.requestingHospitalId), i18n.language),
    },
    {
      title: t('cases.actions'),
      key: 'actions',
      render: (_, c) => {
        if (!user) return null;
        const offered = availableCaseActions(
          { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
          c,
        ).filter((a): a is ListAction => (LIST_ACTIONS as readonly string[]).includes(a));
        return (
          <Space wrap>
            {offered.map((action) => (
              <Button
                key={action}
                size="small"
                danger={action === 'cancel'}
                onClick={() => {
                  if (NEEDS_REASON.has(action)) setAsking({ action, c });
                  else void run(action, c);
                }}
              >
                {t(`action.${action}`)}
              </Button>
            ))}
          </Space>
        );
      },
    },
  ];

  return (
    <section aria-labelledby="cases-title">
      <div className="page-head">
        <Typography.Title level={2} id="cases-title">
          {t('cases.title')}
        </Typography.Title>
        {user && rolePermits(user.role, 'cases.open') && (
          <Button type="primary" onClick={() => void navigate('/cases/new')}>
            {t('newCase.open')}
          </Button>
        )}
      </div>
      {cases.error && (
        <Typography.Paragraph type="danger" role="alert">
          {cases.error instanceof ApiError ? cases.error.message : t('errors.network')}
        </Typography.Paragraph>
      )}
      <Table<Case>
        rowKey="id"
        columns={columns}
        dataSource={cases.data?.items ?? []}
        loading={cases.isLoading}
        locale={{ emptyText: t('cases.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1100 }}
      />
      <Modal
        open={asking !== null}
        title={asking ? t(`action.${asking.action}`) : ''}
        onCancel={() => {
          setAsking(null);
        }}
        onOk={() => {
          form.submit();
        }}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => {
            if (asking) void run(asking.action, asking.c, values.reason.trim());
            setAsking(null);
            form.resetFields();
          }}
        >
          <Form.Item
            label={t('cases.reason')}
            name="reason"
            rules={[{ required: true, whitespace: true, message: t('cases.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
