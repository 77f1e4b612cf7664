import { Button, Table } from 'antd';
import { Panel } from '../../components/Panel';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { dicomDate, personName } from './PlanView';
import { useReceivedStudies, type ReceivedStudy } from './received-api';

/** Studies already in the archive for this hospital (pushed by its gateway) that have no case yet, each a case away. */
export function ReceivedStudies(): React.JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const studies = useReceivedStudies();
  return (
    <Panel size="small" title={t('upload.received')} className="form-card">
      <Table<ReceivedStudy>
        size="small"
        rowKey="studyInstanceUid"
        loading={studies.isLoading}
        dataSource={studies.data ?? []}
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        locale={{
          emptyText: (
            <span className="upload-empty">
              {studies.isError ? t('errors.network') : t('upload.receivedEmpty')}
            </span>
          ),
        }}
        columns={[
          {
            title: t('upload.patient'),
            key: 'patient',
            render: (_: unknown, s) => (
              <>
                <bdi>{personName(s.patientName)}</bdi>（{s.patientId}）
              </>
            ),
          },
          {
            title: t('upload.studyDate'),
            key: 'date',
            width: 120,
            render: (_: unknown, s) => dicomDate(s.studyDate) || '—',
          },
          {
            title: t('upload.description'),
            key: 'description',
            render: (_: unknown, s) => s.description || '—',
          },
          { title: t('upload.modality'), dataIndex: 'modality', width: 90 },
          { title: t('upload.images'), dataIndex: 'images', width: 90, align: 'right' },
          {
            title: t('upload.action'),
            key: 'action',
            width: 150,
            render: (_: unknown, s) => (
              <Button
                size="small"
                onClick={() => {
                  // several modalities (CT\SR) make no single exam type: the form asks for it
                  void navigate('/cases/new', {
                    state: { study: { ...s, modality: s.modality.includes('\\') ? '' : s.modality } },
                  });
                }}
              >
                {t('upload.createCaseShort')}
              </Button>
            ),
          },
        ]}
      />
    </Panel>
  );
}
