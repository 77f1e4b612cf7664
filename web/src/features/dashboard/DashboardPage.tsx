import { Alert, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api-client';
import { useSession } from '../auth/useSession';
import { BacklogPanel } from './BacklogPanel';
import { DASHBOARD_DAYS, useHospitalZones, useQueueFigures } from './dashboard-api';
import './dashboard.css';
import { DepthPanel } from './DepthPanel';
import './messages';
import { useLiveQueueFigures } from './queue-socket';
import { SlaPanel } from './SlaPanel';
import { ThroughputPanel } from './ThroughputPanel';
import { TurnaroundPanel } from './TurnaroundPanel';

/**
 * The administrator's live view of the queue: cases by state, backlog per county hospital, the SLA list with one-step
 * reassignment, turnaround and throughput per city department; pushed over the socket as the queue moves.
 */
export function DashboardPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const live = useLiveQueueFigures();
  const figures = useQueueFigures(live);
  const hospitals = useHospitalZones();
  const data = figures.data;
  const zones = hospitals.data ?? [];
  // the server's clock minus this computer's, so the countdowns agree with the api's idea of a breach
  const skewMs = data ? Date.parse(data.at) - figures.dataUpdatedAt : 0;
  const updated = data
    ? new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
      }).format(new Date(data.at))
    : '';
  const boardHref = `/admin/queues?access_token=${encodeURIComponent(session?.accessToken ?? '')}`;

  return (
    <section aria-labelledby="dashboard-title" className="dashboard">
      <div className="page-head dashboard-head">
        <Typography.Title level={2} id="dashboard-title">
          {t('dashboard.title')}
        </Typography.Title>
        <div className="dashboard-status">
          {live ? (
            <Tag color="#237804">
              {t('dashboard.live')}
              {updated && ` · ${t('dashboard.updatedAt', { time: updated })}`}
            </Tag>
          ) : (
            <Typography.Text type="secondary">{t('dashboard.reconnecting')}</Typography.Text>
          )}
          <a href={boardHref} target="_blank" rel="noopener noreferrer" title={t('dashboard.boardHint')}>
            {t('dashboard.board')}
          </a>
        </div>
      </div>
      {figures.error && (
        <Alert
          type="error"
          role="alert"
          showIcon
          title={t('dashboard.loadFailed', {
            reason: figures.error instanceof ApiError ? figures.error.message : t('errors.network'),
          })}
        />
      )}
      {!data && figures.isLoading && <Spin size="large" className="dashboard-loading" />}
      {data && (
        <div className="dashboard-grid">
          <DepthPanel figures={data} />
          <BacklogPanel backlog={data.backlog} />
          <div className="dashboard-wide">
            <SlaPanel atRisk={data.atRisk} breached={data.breached} skewMs={skewMs} hospitals={zones} />
          </div>
          <TurnaroundPanel turnaround={data.turnaround} days={DASHBOARD_DAYS} hospitals={zones} />
          <ThroughputPanel throughput={data.throughput} days={DASHBOARD_DAYS} />
          <section className="dashboard-wide dashboard-queues" aria-label={t('dashboard.queues.title')}>
            <Typography.Text strong>{t('dashboard.queues.title')}</Typography.Text>
            <ul className="dashboard-lines">
              {data.queues.map((q) => (
                <li key={q.queue}>{t('dashboard.queues.line', { ...q })}</li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </section>
  );
}
