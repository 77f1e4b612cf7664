import { Alert, Button, Checkbox, Descriptions, Radio, Space, Table, Typography } from 'antd';
import { Panel } from '../../components/Panel';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from './dropped-files';
import type { PlannedSeries, UploadPlan } from './upload-planner';

/** DICOM PN "HASAN^ABLIMIT" as a person reads it; a Chinese name has no separator to show. */
export function personName(pn: string): string {
  return pn.split('=')[0]?.split('^').filter(Boolean).join(' ') ?? pn;
}

/** DICOM DA "20260315" as 2026-03-15. */
export function dicomDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}

interface PlanViewProps {
  plan: UploadPlan;
  onKeep: (patientKey: string) => void;
  onSend: (deidentify: boolean) => void;
  onCancel: () => void;
}

/** What will be sent, before anything is: patient, study, series; and what will not be, and why. */
export function PlanView({ plan, onKeep, onSend, onCancel }: PlanViewProps): React.JSX.Element {
  const { t } = useTranslation();
  const [deidentify, setDeidentify] = useState(false);
  const [keep, setKeep] = useState<string | null>(null);
  const patient = plan.patients[0];
  const sendable = !plan.mixedPatients && plan.images > 0;

  return (
    <Space orientation="vertical" size="middle" className="upload-plan">
      {plan.mixedPatients && (
        <Panel size="small">
          <Alert type="warning" title={t('upload.mixed', { count: plan.patients.length })} />
          <Radio.Group
            className="upload-keep"
            value={keep}
            onChange={(e) => {
              setKeep(e.target.value as string);
            }}
            options={plan.patients.map((p) => ({
              value: p.key,
              label: (
                <span>
                  <bdi>{personName(p.patientName)}</bdi>（{p.patientId}）
                </span>
              ),
            }))}
          />
          <Button
            disabled={keep === null}
            onClick={() => {
              if (keep) onKeep(keep);
            }}
          >
            {t('upload.keep')}
          </Button>
        </Panel>
      )}
      {!plan.mixedPatients && patient && (
        <Panel size="small" title={t('upload.plan')}>
          <Descriptions size="small" column={4}>
            <Descriptions.Item label={t('upload.patient')}>
              <bdi>{personName(patient.patientName)}</bdi>
            </Descriptions.Item>
            <Descriptions.Item label={t('upload.patientId')}>{patient.patientId}</Descriptions.Item>
            <Descriptions.Item label={t('upload.sex')}>
              {['M', 'F', 'O'].includes(patient.sex) ? t(`sex.${patient.sex}`) : patient.sex}
            </Descriptions.Item>
            <Descriptions.Item label={t('upload.birthDate')}>
              {dicomDate(patient.birthDate)}
            </Descriptions.Item>
          </Descriptions>
          {plan.studies.map((study) => (
            <div key={study.studyInstanceUid} className="upload-study">
              <Typography.Text strong>
                {t('upload.study')}：{study.description || '—'} · {t('upload.studyDate')}{' '}
                {dicomDate(study.studyDate)} · {t('upload.accession')} {study.accessionNumber || '—'}
              </Typography.Text>
              <Table<PlannedSeries>
                size="small"
                pagination={false}
                rowKey="seriesInstanceUid"
                dataSource={study.series}
                columns={[
                  { title: t('upload.seriesNumber'), dataIndex: 'seriesNumber', width: 80 },
                  { title: t('upload.description'), dataIndex: 'description' },
                  { title: t('upload.modality'), dataIndex: 'modality', width: 90 },
                  { title: t('upload.images'), dataIndex: 'images', width: 90, align: 'right' },
                  {
                    title: t('upload.size'),
                    key: 'bytes',
                    width: 110,
                    align: 'right',
                    render: (_: unknown, s) => formatBytes(s.bytes),
                  },
                ]}
              />
            </div>
          ))}
          <Typography.Paragraph className="upload-total">
            {t('upload.total', { images: plan.images, size: formatBytes(plan.bytes) })}
          </Typography.Paragraph>
        </Panel>
      )}
      {plan.images === 0 && !plan.mixedPatients && <Alert type="error" title={t('upload.nothing')} />}
      {(plan.skipped.length > 0 || plan.indexes.length > 0 || plan.duplicates.length > 0) && (
        <Panel size="small" title={t('upload.notSent')}>
          <ul className="upload-not-sent">
            {plan.skipped.length > 0 && (
              <li>
                {t('upload.skipped', { count: plan.skipped.length })}：
                {plan.skipped
                  .slice(0, 5)
                  .map((f) => f.path)
                  .join('、')}
                {plan.skipped.length > 5 ? '…' : ''}
              </li>
            )}
            {plan.indexes.length > 0 && <li>{t('upload.indexes', { count: plan.indexes.length })}</li>}
            {plan.duplicates.length > 0 && (
              <li>{t('upload.duplicates', { count: plan.duplicates.length })}</li>
            )}
          </ul>
        </Panel>
      )}
      <Panel size="small">
        <Checkbox
          checked={deidentify}
          onChange={(e) => {
            setDeidentify(e.target.checked);
          }}
          aria-describedby="deidentify-help"
        >
          {t('upload.deidentify')}
        </Checkbox>
        <Typography.Paragraph id="deidentify-help" type="secondary" className="upload-help">
          {t('upload.deidentifyHelp')}
        </Typography.Paragraph>
        <Space>
          <Button
            type="primary"
            disabled={!sendable}
            onClick={() => {
              onSend(deidentify);
            }}
          >
            {t('upload.send')}
          </Button>
          <Button onClick={onCancel}>{t('upload.chooseAgain')}</Button>
        </Space>
      </Panel>
    </Space>
  );
}
