import { DEFAULT_TIME_ZONE, type Hospital, type SlaCase } from '@telemed/contracts';
import { Button, Card, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hospitalTime } from '../../lib/format';
import { clock, useNow } from './countdown';
import { ReassignDialog } from './ReassignDialog';

// solid and dark enough for white text at 4.5:1, as on the case list
const URGENCY_COLOUR: Record<SlaCase['urgency'], string> = {
  stat: '#a8071a',
  urgent: '#ad4e00',
  routine: 'default',
};

/**
 * The cases in breach of their SLA and those about to be, most urgent (earliest due) first, the time left counting
 * down on the server's clock; each can be handed to another specialist in one step.
 */
export function SlaPanel({
  atRisk,
  breached,
  skewMs,
  hospitals,
}: {
  atRisk: SlaCase[];
  breached: SlaCase[];
  /** the server's clock minus this computer's */
  skewMs: number;
  hospitals: Hospital[];
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const now = useNow() + skewMs;
  const [reassigning, setReassigning] = useState<SlaCase | null>(null);
  const rows = useMemo(
    () => [...breached, ...atRisk].sort((a, b) => Date.parse(a.slaDueAt) - Date.parse(b.slaDueAt)),
    [atRisk, breached],
  );
  const zoneOf = useMemo(() => {
    const zones = new Map(hospitals.map((h) => [h.id, h.timeZone]));
    return (id: string): string => zones.get(id) ?? DEFAULT_TIME_ZONE;
  }, [hospitals]);

  const columns: ColumnsType<SlaCase> = [
    {
      title: t('dashboard.sla.left'),
      key: 'left',
      width: 150,
      render: (_, c) => {
        const left = Date.parse(c.slaDueAt) - now;
        return left <= 0 ? (
          <Tag color="#a8071a" className="dashboard-countdown">
            {t('dashboard.sla.overdue', { time: clock(left) })}
          </Tag>
        ) : (
          <Tag color="#ad4e00" className="dashboard-countdown">
            {t('dashboard.sla.remaining', { time: clock(left) })}
          </Tag>
        );
      },
    },
    {
      title: t('dashboard.sla.urgency'),
      key: 'urgency',
      render: (_, c) => <Tag color={URGENCY_COLOUR[c.urgency]}>{t(`urgency.${c.urgency}`)}</Tag>,
    },
    { title: t('dashboard.sla.state'), key: 'state', render: (_, c) => t(`state.${c.state}`) },
    { title: t('dashboard.sla.hospital'), dataIndex: 'hospitalName', key: 'hospital' },
    {
      title: t('dashboard.sla.specialist'),
      key: 'specialist',
      render: (_, c) => (
        <Space size={4}>
          {c.specialistName ?? '—'}
          {c.escalated && <Tag>{t('dashboard.sla.escalated')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('dashboard.sla.due'),
      key: 'due',
      render: (_, c) => hospitalTime(c.slaDueAt, zoneOf(c.hospitalId), i18n.language),
    },
    {
      title: t('dashboard.sla.actions'),
      key: 'actions',
      render: (_, c) => (
        <Space size={8}>
          <Button
            size="small"
            type="primary"
            onClick={() => {
              setReassigning(c);
            }}
          >
            {t('dashboard.sla.reassign')}
          </Button>
          <Link to={`/cases/${c.caseId}`}>{t('dashboard.sla.open')}</Link>
        </Space>
      ),
    },
  ];

  return (
    <section aria-label={t('dashboard.sla.title')} className="dashboard-panel">
      <Card
        title={t('dashboard.sla.title')}
        size="small"
        className="dashboard-card"
        extra={
          <Space size={8}>
            <Tag color="#a8071a">
              {t('dashboard.sla.breachedTag')} {breached.length}
            </Tag>
            <Tag color="#ad4e00">
              {t('dashboard.sla.atRiskTag')} {atRisk.length}
            </Tag>
          </Space>
        }
      >
        <Table<SlaCase>
          aria-label={t('dashboard.sla.title')}
          rowKey="caseId"
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={{ pageSize: 8, hideOnSinglePage: true }}
          locale={{ emptyText: t('dashboard.sla.empty') }}
        />
        <ReassignDialog
          sla={reassigning}
          onClose={() => {
            setReassigning(null);
          }}
        />
      </Card>
    </section>
  );
}
