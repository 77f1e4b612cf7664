import { Alert, Button, Progress, Space, Typography } from 'antd';
import { Panel } from '../../components/Panel';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/useSession';
import { assignBatches } from './batching';
import { newPseudonymisation } from './deidentify-upload';
import { chosenFiles, droppedFiles, formatBytes, type DroppedFile } from './dropped-files';
import './messages';
import './upload.css';
import { PlanView } from './PlanView';
import { ReceivedStudies } from './ReceivedStudies';
import type { ReadHeadersMessage, ReadHeadersRequest } from './read-headers';
import { SendingView } from './SendingView';
import type { StageMessage, StageRequest } from './stage-batches';
import { freeSpace, removeStaging } from './staging';
import { filesToSend, keepPatient, planUpload, type UploadPlan } from './upload-planner';
import { forgetRecord, loadRecord, saveRecord, type UploadRecord } from './upload-record';

// the staged bodies are the files plus a little framing; this margin covers it and the browser's own bookkeeping
const STAGING_MARGIN = 1.02;

type Step =
  | { kind: 'pick'; notice: string | null }
  | { kind: 'reading'; read: number; total: number }
  | { kind: 'plan'; plan: UploadPlan; files: Map<string, File> }
  | { kind: 'staging'; done: number; total: number }
  | { kind: 'sending'; record: UploadRecord; resumed: boolean };

/** The county technician's upload: choose a study's files, see what will be sent, send it resumably, open its case. */
export function UploadPage(): React.JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const userId = session?.user.id ?? '';
  const [step, setStep] = useState<Step>(() => {
    const record = loadRecord(userId);
    if (record?.phase === 'sending' || record?.phase === 'done')
      return { kind: 'sending', record, resumed: true };
    return { kind: 'pick', notice: record ? 'interrupted' : null };
  });
  const [error, setError] = useState<string | null>(null);
  const worker = useRef<Worker | null>(null);

  // an upload interrupted while staging cannot go on (the dropped files are gone): its staged part is removed
  useEffect(() => {
    if (step.kind === 'pick' && step.notice === 'interrupted') {
      forgetRecord();
      void removeStaging(null);
    }
  }, [step]);
  useEffect(() => () => worker.current?.terminate(), []);

  const read = (files: DroppedFile[]): void => {
    setError(null);
    if (files.length === 0) return;
    worker.current?.terminate();
    const w = new Worker(new URL('./upload.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setStep({ kind: 'reading', read: 0, total: files.length });
    w.onmessage = (event: MessageEvent<ReadHeadersMessage>) => {
      const m = event.data;
      if (m.kind === 'progress') {
        setStep({ kind: 'reading', read: m.read, total: files.length });
        return;
      }
      w.terminate();
      worker.current = null;
      setStep({
        kind: 'plan',
        plan: planUpload(m.files),
        files: new Map(files.map((f) => [f.path, f.file])),
      });
    };
    w.postMessage({ kind: 'read', files } satisfies ReadHeadersRequest);
  };

  const send = async (plan: UploadPlan, files: Map<string, File>, deidentify: boolean): Promise<void> => {
    setError(null);
    const toSend = filesToSend(plan);
    const study = plan.studies[0];
    const patient = plan.patients[0];
    if (!study || !patient || toSend.length === 0) return;
    const need = toSend.reduce((n, f) => n + f.file.size, 0) * STAGING_MARGIN;
    const free = await freeSpace();
    if (free !== null && free < need) {
      setError(t('upload.noRoom', { need: formatBytes(need), free: formatBytes(Math.max(0, free)) }));
      return;
    }
    const batches = assignBatches(
      toSend.map((f, index) => ({ index, size: f.file.size, seriesInstanceUid: f.seriesInstanceUid })),
    );
    const pseudonymisation = deidentify ? newPseudonymisation() : null;
    const series = plan.studies.flatMap((s) => s.series);
    const record: UploadRecord = {
      id: crypto.randomUUID(),
      userId,
      createdAt: new Date().toISOString(),
      phase: 'staging',
      deidentified: deidentify,
      study: {
        studyInstanceUid: study.studyInstanceUid,
        accessionNumber: study.accessionNumber,
        description: study.description,
        modality: series[0]?.modality ?? '',
        bodyPart: series.find((s) => s.bodyPart)?.bodyPart ?? '',
        patientName: pseudonymisation ? pseudonymisation.pseudonym : patient.patientName,
        patientId: pseudonymisation ? pseudonymisation.pseudonym : patient.patientId,
        patientSex: patient.sex,
        patientBirthDate: pseudonymisation ? '' : patient.birthDate,
      },
      series: series.map((s) => ({
        seriesInstanceUid: s.seriesInstanceUid,
        seriesNumber: s.seriesNumber,
        description: s.description,
        modality: s.modality,
        images: s.files.length,
      })),
      batches: [],
      images: toSend.length,
      stored: 0,
      failures: [],
    };
    saveRecord(record);
    setStep({ kind: 'staging', done: 0, total: batches.length });
    const w = new Worker(new URL('./upload.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (event: MessageEvent<StageMessage>) => {
      const m = event.data;
      if (m.kind === 'staged') {
        record.batches.push({
          name: m.name,
          bytes: m.bytes,
          contentType: m.contentType,
          perSeries: batches[m.batch]?.perSeries ?? {},
          url: null,
          done: false,
        });
        saveRecord(record);
        setStep({ kind: 'staging', done: record.batches.length, total: batches.length });
        return;
      }
      w.terminate();
      worker.current = null;
      if (m.kind === 'failed') {
        forgetRecord();
        void removeStaging(null);
        setError(
          m.message === 'quota'
            ? t('upload.noRoom', { need: formatBytes(need), free: formatBytes(Math.max(0, free ?? 0)) })
            : m.message,
        );
        setStep({ kind: 'plan', plan, files });
        return;
      }
      if (m.studyInstanceUid) record.study.studyInstanceUid = m.studyInstanceUid;
      record.phase = 'sending';
      saveRecord(record);
      setStep({ kind: 'sending', record, resumed: false });
    };
    w.postMessage({
      kind: 'stage',
      uploadId: record.id,
      files: toSend.map((f) => files.get(f.file.path) as File),
      batches: batches.map((b) => b.files),
      pseudonymisation,
    } satisfies StageRequest);
  };

  return (
    <section aria-labelledby="upload-title" className="upload">
      <Typography.Title level={2} id="upload-title">
        {t('upload.title')}
      </Typography.Title>
      {error && <Alert type="error" title={error} role="alert" className="form-error" />}
      {step.kind === 'pick' && (
        <>
          {step.notice === 'interrupted' && (
            <Alert type="warning" title={t('upload.interrupted')} className="form-error" />
          )}
          <Picker onFiles={read} />
          <ReceivedStudies />
        </>
      )}
      {step.kind === 'reading' && (
        <Panel size="small">
          <Typography.Text>{t('upload.reading', { read: step.read, total: step.total })}</Typography.Text>
          <Progress
            percent={Math.floor((step.read / step.total) * 100)}
            aria-label={t('upload.reading', { read: step.read, total: step.total })}
          />
        </Panel>
      )}
      {step.kind === 'plan' && (
        <PlanView
          plan={step.plan}
          onKeep={(key) => {
            setStep({ ...step, plan: keepPatient(step.plan, key) });
          }}
          onSend={(deidentify) => void send(step.plan, step.files, deidentify)}
          onCancel={() => {
            setStep({ kind: 'pick', notice: null });
          }}
        />
      )}
      {step.kind === 'staging' && (
        <Panel size="small">
          <Typography.Text>{t('upload.staging', { done: step.done, total: step.total })}</Typography.Text>
          <Progress
            percent={Math.floor((step.done / Math.max(1, step.total)) * 100)}
            aria-label={t('upload.staging', { done: step.done, total: step.total })}
          />
        </Panel>
      )}
      {step.kind === 'sending' && (
        <SendingView
          key={step.record.id}
          record={step.record}
          resumed={step.resumed}
          onFinished={() => {
            forgetRecord();
            setStep({ kind: 'pick', notice: null });
          }}
        />
      )}
    </section>
  );
}

/** Where files come in: a drop zone, and buttons for files or a folder (the keyboard's way in). */
function Picker({ onFiles }: { onFiles: (files: DroppedFile[]) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  useEffect(() => {
    // not a React attribute: set on the element so the picker chooses a folder
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);
  return (
    <Panel size="small">
      <Typography.Paragraph>{t('upload.intro')}</Typography.Paragraph>
      <div
        className={over ? 'upload-drop upload-drop-over' : 'upload-drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => {
          setOver(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void droppedFiles(e.dataTransfer).then(onFiles);
        }}
      >
        <Typography.Text strong>{t('upload.drop')}</Typography.Text>
        <Space>
          <Button type="primary" onClick={() => filesInput.current?.click()}>
            {t('upload.pickFiles')}
          </Button>
          <Button onClick={() => folderInput.current?.click()}>{t('upload.pickFolder')}</Button>
        </Space>
      </div>
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        aria-label={t('upload.filesInput')}
        onChange={(e) => {
          onFiles(chosenFiles(e.target.files));
          e.target.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        aria-label={t('upload.folderInput')}
        onChange={(e) => {
          onFiles(chosenFiles(e.target.files));
          e.target.value = '';
        }}
      />
    </Panel>
  );
}
