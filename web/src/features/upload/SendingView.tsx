import { Alert, App, Button, Progress, Space, Typography } from 'antd';
import { Panel } from '../../components/Panel';
import { Outcome } from '../../components/Outcome';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatBytes } from './dropped-files';
import { personName } from './PlanView';
import { UploadSender } from './sender';
import { recordBytes, seriesSent, type UploadRecord } from './upload-record';
import type { StudyForCase } from '../../lib/study-for-case';

interface SendingViewProps {
  record: UploadRecord;
  /** the upload was found unfinished when the page opened, and continued by itself */
  resumed: boolean;
  onFinished: () => void;
}

/** Sending an upload: overall and per-series progress, speed, time left, pause and resume; then its case. */
export function SendingView({ record, resumed, onFinished }: SendingViewProps): React.JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const [sender] = useState(() => new UploadSender(record));
  const s = useSyncExternalStore(sender.subscribe, sender.snapshot);

  useEffect(() => {
    sender.start();
    return () => {
      sender.close();
    };
  }, [sender]);

  const duration = (seconds: number): string => {
    const whole = Math.ceil(seconds);
    return whole >= 60
      ? t('upload.minutes', { m: Math.floor(whole / 60), s: whole % 60 })
      : t('upload.seconds', { s: whole });
  };
  const percent = s.totalBytes ? Math.floor((s.sentBytes / s.totalBytes) * 100) : 0;
  const perSeries = seriesSent(s.record, s.sentBytes - recordBytes(s.record).sent);
  const study = s.record.study;

  const heading = (
    <Typography.Text strong>
      <bdi>{personName(study.patientName)}</bdi>（{study.patientId}）· {study.modality} ·{' '}
      {study.description || '—'} · {t('upload.imageCount', { count: s.record.images })}
      {s.record.deidentified ? ` · ${t('upload.deidentified')}` : ''}
    </Typography.Text>
  );

  if (s.status === 'done') {
    const forCase: StudyForCase = { ...study, images: s.record.images };
    return (
      <Panel size="small">
        {heading}
        <Outcome
          status={s.record.failures.length ? 'warning' : 'success'}
          title={t('upload.done', { stored: s.record.stored })}
          subTitle={
            s.record.failures.length ? (
              <div role="alert">
                {t('upload.failures', { count: s.record.failures.length })}
                <ul className="upload-failures">
                  {s.record.failures.slice(0, 10).map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              </div>
            ) : undefined
          }
          extra={[
            <Button
              key="case"
              type="primary"
              disabled={s.record.stored === 0}
              onClick={() => {
                onFinished();
                void navigate('/cases/new', { state: { study: forCase } });
              }}
            >
              {t('upload.createCase')}
            </Button>,
            <Button key="another" onClick={onFinished}>
              {t('upload.another')}
            </Button>,
          ]}
        />
      </Panel>
    );
  }

  const statusText =
    s.status === 'offline'
      ? t('upload.offline')
      : s.status === 'paused'
        ? t('upload.paused')
        : s.status === 'waiting'
          ? s.error === 'staged-missing'
            ? t('upload.stagedMissing')
            : t('upload.waiting', { seconds: 30, error: s.error ?? '' })
          : t('upload.sending');

  return (
    <Space orientation="vertical" size="middle" className="upload-sending">
      {resumed && <Alert type="info" title={t('upload.resumed')} />}
      <Panel size="small">
        {heading}
        <div role="status" aria-live="polite" className="upload-status">
          {statusText} ·{' '}
          {t('upload.progress', { sent: formatBytes(s.sentBytes), total: formatBytes(s.totalBytes) })}
          {s.bytesPerSecond !== null && s.status === 'sending'
            ? ` · ${t('upload.speed', { speed: formatBytes(s.bytesPerSecond) })}`
            : ''}
          {s.secondsLeft !== null && s.status === 'sending'
            ? ` · ${t('upload.timeLeft', { time: duration(s.secondsLeft) })}`
            : ''}
        </div>
        <Progress
          percent={percent}
          status={s.status === 'sending' ? 'active' : 'normal'}
          aria-label={t('upload.progress', {
            sent: formatBytes(s.sentBytes),
            total: formatBytes(s.totalBytes),
          })}
        />
        <table className="upload-series">
          <caption className="visually-hidden">{t('upload.series')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('upload.seriesNumber')}</th>
              <th scope="col">{t('upload.description')}</th>
              <th scope="col">{t('upload.modality')}</th>
              <th scope="col">{t('upload.images')}</th>
            </tr>
          </thead>
          <tbody>
            {s.record.series.map((series) => {
              const sent = perSeries[series.seriesInstanceUid] ?? 0;
              return (
                <tr key={series.seriesInstanceUid}>
                  <td>{series.seriesNumber}</td>
                  <td>{series.description || '—'}</td>
                  <td>{series.modality}</td>
                  <td className="upload-series-progress">
                    <Progress
                      size="small"
                      percent={Math.floor((sent / Math.max(1, series.images)) * 100)}
                      format={() => `${sent} / ${series.images}`}
                      aria-label={`${series.seriesNumber} ${series.description}: ${sent} / ${series.images}`}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <Space>
          {s.status === 'paused' ? (
            <Button
              type="primary"
              onClick={() => {
                sender.start();
              }}
            >
              {t('upload.resume')}
            </Button>
          ) : (
            <Button
              onClick={() => {
                sender.pause();
              }}
            >
              {t('upload.pause')}
            </Button>
          )}
          <Button
            danger
            onClick={() => {
              void modal.confirm({
                title: t('upload.discard'),
                content: t('upload.discardConfirm'),
                onOk: async () => {
                  await sender.discard();
                  onFinished();
                },
              });
            }}
          >
            {t('upload.discard')}
          </Button>
        </Space>
      </Panel>
    </Space>
  );
}
