import { useQuery } from '@tanstack/react-query';
import { DEFAULT_TIME_ZONE, type TechnicianQuality } from '@telemed/contracts';
import { Alert, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { api } from '../../lib/api-client';
import { QualityLine } from '../cases/ReadingFeedback';
import './quality-messages';

/**
 * `/quality`: the image quality of each technician as the city's readers rated it (带教 feedback). A county
 * hospital's staff see their own hospital's technicians; an administrator every hospital's. The latest comments
 * link to their case.
 */
export function QualityPage(): React.JSX.Element {
  const { t } = useTranslation();
  const summary = useQuery({
    queryKey: ['quality', 'technicians'],
    queryFn: () => api<TechnicianQuality[]>('GET', '/api/quality/technicians?recent=10'),
  });
  const list = summary.data ?? [];
  return (
    <section aria-labelledby="quality-title" className="quality-page">
      <div className="page-head">
        <Typography.Title level={2} id="quality-title">
          {t('quality.title')}
        </Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('quality.hint')}</Typography.Paragraph>
      {summary.error && <Alert type="error" showIcon title={summary.error.message} />}
      {summary.isPending && <Spin />}
      {summary.isSuccess && list.length === 0 && <Empty description={t('quality.none')} />}
      <Space orientation="vertical" size={16} className="full-width">
        {list.map((q) => (
          <Panel
            key={q.technicianId}
            size="small"
            title={
              <span>
                {q.technicianName}
                <Typography.Text type="secondary"> · {q.hospitalName}</Typography.Text>
              </span>
            }
            extra={
              <Typography.Text strong>
                {t('quality.average', { score: q.averageScore.toFixed(1), count: q.ratings })}
              </Typography.Text>
            }
          >
            <Space wrap size={8} aria-label={t('quality.problems')}>
              {Object.entries(q.byCategory)
                .filter(([, n]) => n > 0)
                .map(([k, n]) => (
                  <Tag key={k}>{t('quality.problem', { what: t(`feedback.category.${k}`), count: n })}</Tag>
                ))}
            </Space>
            <ul className="quality-list" aria-label={t('quality.recent')}>
              {q.recent.map((r) => (
                <QualityLine
                  key={`${r.caseId}-${r.ratedAt}`}
                  {...r}
                  timeZone={DEFAULT_TIME_ZONE}
                  extra={<Link to={`/cases/${r.caseId}`}>{t('quality.openCase')}</Link>}
                />
              ))}
            </ul>
          </Panel>
        ))}
      </Space>
    </section>
  );
}
