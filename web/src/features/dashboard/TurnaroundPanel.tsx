import { DEFAULT_TIME_ZONE, type Hospital, type Turnaround } from '@telemed/contracts';
import { Card, Segmented, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './Chart';
import { CHART_BASE } from './chart-style';

/** The `count` days up to today on `timeZone`'s clock, oldest first, as YYYY-MM-DD. */
function lastDays(count: number, timeZone: string): string[] {
  const day = (at: number): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(at));
  const today = Date.parse(`${day(Date.now())}T12:00:00Z`);
  return Array.from({ length: count }, (_, i) => day(today - (count - 1 - i) * 86_400_000)).map((d) =>
    d.slice(0, 10),
  );
}

/** From submission to which moment: the router's assignment, the first (preliminary) report, the final one. */
const MEASURES = {
  assigned: ['toAssignedP50', 'toAssignedP90'],
  preliminary: ['toPreliminaryP50', 'toPreliminaryP90'],
  final: ['toFinalP50', 'toFinalP90'],
} as const satisfies Record<string, [keyof Turnaround, keyof Turnaround]>;
type Measure = keyof typeof MEASURES;

/**
 * Turnaround percentiles of one city department over the last days, on its hospital's clock: from submission to
 * the assignment, the first (preliminary) report or the final one, P50 solid and P90 dashed; today's figures as text.
 */
export function TurnaroundPanel({
  turnaround,
  days,
  hospitals,
}: {
  turnaround: Turnaround[];
  days: number;
  hospitals: Hospital[];
}): React.JSX.Element {
  const { t } = useTranslation();
  const departments = useMemo(() => {
    const seen = new Map<string, { id: string; label: string; hospitalName: string; cases: number }>();
    for (const row of turnaround) {
      const d = seen.get(row.departmentId) ?? {
        id: row.departmentId,
        label: `${row.hospitalName} ${row.departmentName}`,
        hospitalName: row.hospitalName,
        cases: 0,
      };
      d.cases += row.cases;
      seen.set(row.departmentId, d);
    }
    return [...seen.values()].sort((a, b) => b.cases - a.cases);
  }, [turnaround]);
  const [picked, setPicked] = useState<string | null>(null);
  const [measure, setMeasure] = useState<Measure>('preliminary');
  const department = departments.find((d) => d.id === picked) ?? departments[0];
  const zone = hospitals.find((h) => h.name === department?.hospitalName)?.timeZone ?? DEFAULT_TIME_ZONE;
  const axis = lastDays(days, zone);
  const byDay = new Map(turnaround.filter((r) => r.departmentId === department?.id).map((r) => [r.day, r]));
  const minutes = t('dashboard.turnaround.minutes');

  const option = {
    ...CHART_BASE,
    legend: { top: 0, itemGap: 12 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: axis.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: `{value} ${minutes}` } },
    series: MEASURES[measure].map((field, i) => ({
      name: i === 0 ? 'P50' : 'P90',
      type: 'line',
      connectNulls: false,
      symbolSize: 7,
      itemStyle: { color: i === 0 ? '#1f6f8b' : '#7262fd' },
      lineStyle: { color: i === 0 ? '#1f6f8b' : '#7262fd', type: i === 0 ? 'solid' : 'dashed', width: 2 },
      data: axis.map((d) => byDay.get(d)?.[field] ?? null),
    })),
  };
  const today = byDay.get(axis[axis.length - 1] ?? '');
  const shown = (v: number | null | undefined): string =>
    v === null || v === undefined
      ? t('dashboard.turnaround.noData')
      : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${minutes}`;
  const [p50, p90] = MEASURES[measure];
  // a chart of empty days says less than a sentence
  const drawn = axis.some((d) => byDay.get(d)?.[p50] !== null && byDay.get(d)?.[p50] !== undefined);
  const summary = department
    ? t('dashboard.turnaround.summary', {
        department: department.label,
        day: axis[axis.length - 1],
        measure: t(`dashboard.turnaround.${measure}`),
        p50: shown(today?.[p50]),
        p90: shown(today?.[p90]),
        cases: today?.cases ?? 0,
      })
    : t('dashboard.turnaround.empty', { days });

  return (
    <section aria-label={t('dashboard.turnaround.title')} className="dashboard-panel">
      <Card
        title={t('dashboard.turnaround.title')}
        size="small"
        className="dashboard-card"
        extra={
          departments.length > 0 && (
            <Select
              aria-label={t('dashboard.turnaround.department')}
              size="small"
              value={department?.id}
              onChange={setPicked}
              options={departments.map((d) => ({ value: d.id, label: d.label }))}
              className="dashboard-select"
            />
          )
        }
      >
        {department && (
          <Segmented<Measure>
            aria-label={t('dashboard.turnaround.measure')}
            size="small"
            value={measure}
            onChange={setMeasure}
            options={(Object.keys(MEASURES) as Measure[]).map((m) => ({
              value: m,
              label: t(`dashboard.turnaround.${m}`),
            }))}
          />
        )}
        {department && drawn && (
          <Chart
            option={option}
            label={`${t('dashboard.turnaround.chart', { days })}：${summary}`}
            height={200}
          />
        )}
        {department && !drawn && (
          <Typography.Paragraph className="dashboard-summary">
            {t('dashboard.turnaround.nothing', { days, measure: t(`dashboard.turnaround.${measure}`) })}
          </Typography.Paragraph>
        )}
        <Typography.Paragraph className="dashboard-summary">{summary}</Typography.Paragraph>
      </Card>
    </section>
  );
}
