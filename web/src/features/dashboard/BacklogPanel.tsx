import type { HospitalBacklog } from '@telemed/contracts';
import { Card, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './Chart';
import { CHART_BASE, OPEN_STATES, STATE_COLOURS, type OpenState } from './chart-style';

const FIELD: Record<OpenState, 'submitted' | 'assigned' | 'inReview' | 'preliminary'> = {
  submitted: 'submitted',
  assigned: 'assigned',
  in_review: 'inReview',
  preliminary: 'preliminary',
};

const openOf = (b: HospitalBacklog): number => b.submitted + b.assigned + b.inReview + b.preliminary;

/** Open cases of each requesting (county) hospital by state: a stacked bar chart and the same numbers as a table. */
export function BacklogPanel({ backlog }: { backlog: HospitalBacklog[] }): React.JSX.Element {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      ...CHART_BASE,
      legend: { top: 0, itemGap: 12 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: backlog.map((b) => b.hospitalName) },
      series: OPEN_STATES.map((s) => ({
        name: t(`state.${s}`),
        type: 'bar',
        stack: 'open',
        barMaxWidth: 22,
        itemStyle: { color: STATE_COLOURS[s] },
        data: backlog.map((b) => b[FIELD[s]]),
      })),
    }),
    [backlog, t],
  );
  const columns: ColumnsType<HospitalBacklog> = [
    { title: t('dashboard.backlog.hospital'), dataIndex: 'hospitalName', key: 'hospital' },
    ...OPEN_STATES.map((s) => ({
      title: t(`state.${s}`),
      key: s,
      align: 'right' as const,
      render: (_: unknown, b: HospitalBacklog) => b[FIELD[s]],
    })),
    {
      title: t('dashboard.depth.breached'),
      key: 'breached',
      align: 'right',
      render: (_, b) => (b.breached ? <strong className="dashboard-breach">{b.breached}</strong> : 0),
    },
    { title: t('dashboard.backlog.open'), key: 'open', align: 'right', render: (_, b) => openOf(b) },
  ];
  const label = `${t('dashboard.backlog.chart')}：${backlog
    .map((b) => `${b.hospitalName} ${openOf(b)}`)
    .join('，')}`;
  return (
    <section aria-label={t('dashboard.backlog.title')} className="dashboard-panel">
      <Card title={t('dashboard.backlog.title')} size="small" className="dashboard-card">
        {backlog.length > 0 && (
          <Chart option={option} label={label} height={Math.max(120, 40 + backlog.length * 34)} />
        )}
        <Table<HospitalBacklog>
          aria-label={t('dashboard.backlog.title')}
          rowKey="hospitalId"
          size="small"
          columns={columns}
          dataSource={backlog}
          pagination={false}
          locale={{ emptyText: t('dashboard.backlog.empty') }}
        />
      </Card>
    </section>
  );
}
