import type { Throughput } from '@telemed/contracts';
import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './Chart';
import { CHART_BASE } from './chart-style';

interface DepartmentWork {
  id: string;
  label: string;
  received: number;
  reported: number;
  finalized: number;
}

/** What each city department received and reported over the last days: bars, and the same numbers as text. */
export function ThroughputPanel({
  throughput,
  days,
}: {
  throughput: Throughput[];
  days: number;
}): React.JSX.Element {
  const { t } = useTranslation();
  const work = useMemo(() => {
    const sums = new Map<string, DepartmentWork>();
    for (const row of throughput) {
      const d = sums.get(row.departmentId) ?? {
        id: row.departmentId,
        label: `${row.hospitalName} ${row.departmentName}`,
        received: 0,
        reported: 0,
        finalized: 0,
      };
      d.received += row.received;
      d.reported += row.reported;
      d.finalized += row.finalized;
      sums.set(row.departmentId, d);
    }
    return [...sums.values()].sort((a, b) => b.received - a.received);
  }, [throughput]);
  const option = useMemo(
    () => ({
      ...CHART_BASE,
      legend: { top: 0, itemGap: 12 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: work.map((d) => d.label) },
      series: (
        [
          ['received', '#1f6f8b'],
          ['reported', '#e8a33d'],
          ['finalized', '#389e0d'],
        ] as const
      ).map(([field, colour]) => ({
        name: t(`dashboard.throughput.${field}`),
        type: 'bar',
        barMaxWidth: 14,
        itemStyle: { color: colour },
        data: work.map((d) => d[field]),
      })),
    }),
    [work, t],
  );
  const lines = work.map((d) =>
    t('dashboard.throughput.line', {
      department: d.label,
      received: d.received,
      reported: d.reported,
      finalized: d.finalized,
    }),
  );
  return (
    <section aria-label={t('dashboard.throughput.title', { days })} className="dashboard-panel">
      <Card title={t('dashboard.throughput.title', { days })} size="small" className="dashboard-card">
        {work.length > 0 ? (
          <>
            <Chart
              option={option}
              label={`${t('dashboard.throughput.chart', { days })}：${lines.join('；')}`}
              height={Math.max(140, 40 + work.length * 48)}
            />
            <ul className="dashboard-lines">
              {lines.map((line, i) => (
                <li key={work[i]?.id}>{line}</li>
              ))}
            </ul>
          </>
        ) : (
          <Typography.Paragraph className="dashboard-summary">
            {t('dashboard.throughput.empty', { days })}
          </Typography.Paragraph>
        )}
      </Card>
    </section>
  );
}
