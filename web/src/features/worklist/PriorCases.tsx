import type { Case } from '@telemed/contracts';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hospitalTime } from '../../lib/format';
import { usePriors } from './worklist-api';

/** The same patient's earlier cases I may see, with their studies, each opening its case. */
export function PriorCases({ c, timeZone }: { c: Case; timeZone: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const priors = usePriors(c.id);
  const exam = (p: Case): string => [p.modality, p.bodyPart].filter(Boolean).join(' ') || '—';
  return (
    <div className="worklist-priors-list">
      <Typography.Text strong>{t('worklist.priorsOf', { name: c.patient.name })}</Typography.Text>
      {priors.isLoading ? (
        <Typography.Paragraph type="secondary">{t('worklist.priorsLoading')}</Typography.Paragraph>
      ) : (
        <ul className="worklist-priors-items" aria-label={t('worklist.priorsOf', { name: c.patient.name })}>
          {(priors.data ?? []).length === 0 && (
            <li>
              <Typography.Text type="secondary">{t('worklist.priorsEmpty')}</Typography.Text>
            </li>
          )}
          {(priors.data ?? []).map((p) => (
            <li key={p.id}>
              <Typography.Text>{hospitalTime(p.createdAt, timeZone, i18n.language)}</Typography.Text>
              <Typography.Text>{exam(p)}</Typography.Text>
              <Tag>{t(`state.${p.state}`)}</Tag>
              <Typography.Text type="secondary">
                {p.studyInstanceUid
                  ? t('worklist.priorStudy', { exam: p.modality ?? '' })
                  : t('worklist.priorNoStudy')}
              </Typography.Text>
              <Typography.Text type="secondary" ellipsis className="worklist-prior-question">
                {p.clinicalQuestion}
              </Typography.Text>
              <Link to={`/cases/${p.id}`}>{t('worklist.open')}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
