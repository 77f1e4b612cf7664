import type { QueueFigures } from '@telemed/contracts';
import { Card, Statistic } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './Chart';
import { BREACH_COLOUR, CHART_BASE, OPEN_STATES, STATE_COLOURS } from './chart-style';

/** Open cases by state as figures and as a bar chart, with the SLA counts beside them. */
export function DepthPanel({ figures }: { figures: QueueFigures }): React.JSX.Element {
  const { t } = useTranslation();
  const count = (state: string): number => figures.casesByState[state] ?? 0;
  const counts = Object.fromEntries(OPEN_STATES.map((s) => [s, count(s)]));
  const option = useMemo(
    () => ({
      ...CHART_BASE,
      grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: OPEN_STATES.map((s) => t(`state.${s}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 48,
          label: { show: true, position: 'top' },
          data: OPEN_STATES.map((s) => ({
            value: figures.casesByState[s] ?? 0,
            itemStyle: { color: STATE_COLOURS[s] },
          })),
        },
      ],
    }),
    [figures.casesByState, t],
  );
  return (
    <section aria-label={t('dashboard.depth.title')} className="dashboard-panel">
      <Card title={t('dashboard.depth.title')} size="small" className="dashboard-card">
        <ul className="dashboard-kpis" aria-label={t('dashboard.depth.title')}>
          {OPEN_STATES.map((s) => (
            <li key={s}>
              <Statistic title={t(`state.${s}`)} value={count(s)} />
            </li>
          ))}
          <li>
            <Statistic
              title={t('dashboard.depth.atRisk')}
              value={figures.atRisk.length}
              styles={{ content: { color: '#ad4e00' } }}
            />
          </li>
          <li>
            <Statistic
              title={t('dashboard.depth.breached')}
              value={figures.breached.length}
              styles={{ content: { color: BREACH_COLOUR } }}
            />
          </li>
        </ul>
        <Chart
          option={option}
          label={`${t('dashboard.depth.chart')}：${t('dashboard.depth.summary', counts)}`}
          height={180}
        />
      </Card>
    </section>
  );
}
