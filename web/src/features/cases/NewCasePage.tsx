import { URGENCIES, type CaseCreate, type Urgency } from '@telemed/contracts';
import { Alert, App, Button, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { Panel } from '../../components/Panel';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../lib/api-client';
import { showFieldRefusals } from '../../lib/form-refusal';
import { useSession } from '../auth/useSession';
import { useDestination, useOpenCase } from './new-case-api';
import type { StudyForCase } from '../../lib/study-for-case';

interface NewCaseForm {
  mrn: string;
  name: string;
  sex: 'M' | 'F' | 'O';
  birthDate?: string;
  urgency: Urgency;
  modality?: string;
  bodyPart?: string;
  clinicalQuestion: string;
  clinicalHistory?: string;
}

/** The form's first values for a sent study: the patient and exam as its files name them. */
function valuesFromStudy(study: StudyForCase | undefined): Partial<NewCaseForm> {
  if (!study) return {};
  const da = study.patientBirthDate;
  return {
    mrn: study.patientId,
    // DICOM PN: family^given; shown as a person writes it
    name: study.patientName.split('=')[0]?.split('^').filter(Boolean).join(' ') ?? '',
    sex: study.patientSex === 'F' ? 'F' : study.patientSex === 'M' ? 'M' : 'O',
    ...(/^\d{8}$/.test(da) ? { birthDate: `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` } : {}),
    ...(/^[A-Z0-9]{2,16}$/.test(study.modality) ? { modality: study.modality } : {}),
    ...(study.bodyPart ? { bodyPart: study.bodyPart } : {}),
  };
}

// the modalities county sites send most; any other DICOM code can be typed
const MODALITIES = ['CT', 'MR', 'DX', 'CR', 'US', 'MG', 'XA', 'NM', 'PT'];

/** A technician opens a case for a patient of their hospital, sees where it will go, and saves or submits it. */
export function NewCasePage(): React.JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const study = (useLocation().state as { study?: StudyForCase } | null)?.study;
  const { message } = App.useApp();
  const [form] = Form.useForm<NewCaseForm>();
  const destination = useDestination(session?.user.departmentId ?? null);
  const open = useOpenCase();
  const [error, setError] = useState<string | null>(null);
  const required = { required: true, whitespace: true, message: t('newCase.required') };

  const save = async (submit: boolean): Promise<void> => {
    setError(null);
    let values: NewCaseForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: CaseCreate = {
      patient: {
        mrn: values.mrn.trim(),
        name: values.name.trim(),
        sex: values.sex,
        ...(values.birthDate ? { birthDate: values.birthDate } : {}),
      },
      urgency: values.urgency,
      clinicalQuestion: values.clinicalQuestion.trim(),
      ...(values.clinicalHistory?.trim() ? { clinicalHistory: values.clinicalHistory.trim() } : {}),
      ...(values.modality ? { modality: values.modality } : {}),
      ...(values.bodyPart?.trim() ? { bodyPart: values.bodyPart.trim().toUpperCase() } : {}),
      ...(study ? { studyInstanceUid: study.studyInstanceUid } : {}),
      ...(study?.accessionNumber && study.accessionNumber.length <= 16
        ? { accessionNumber: study.accessionNumber }
        : {}),
    };
    try {
      await open.mutateAsync({ input, submit });
      void message.success(t(submit ? 'newCase.submitted' : 'newCase.created'));
      void navigate('/cases');
    } catch (e) {
      // the patient's fields sit under `patient` in the body, at the top of the form
      const unshown = showFieldRefusals(form, e, 'patient.');
      const listed = unshown.map((f) => `${f.field}: ${f.message}`).join('; ');
      setError(e instanceof ApiError ? e.message + (listed && ` (${listed})`) : t('errors.network'));
    }
  };

  return (
    <section aria-labelledby="new-case-title" className="new-case">
      <Typography.Title level={2} id="new-case-title">
        {t('newCase.title')}
      </Typography.Title>
      {error && <Alert type="error" title={error} role="alert" className="form-error" />}
      {study && (
        <Alert
          type="info"
          className="form-error"
          title={t('newCase.fromStudy', { images: study.images, uid: study.studyInstanceUid })}
        />
      )}
      <Form<NewCaseForm>
        form={form}
        layout="vertical"
        initialValues={{ sex: 'M', urgency: 'routine', ...valuesFromStudy(study) }}
      >
        <Panel title={t('newCase.patientSection')} size="small">
          <Space wrap size="large" align="start">
            <Form.Item label={t('newCase.mrn')} name="mrn" rules={[required]}>
              <Input maxLength={64} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item label={t('newCase.name')} name="name" rules={[required]}>
              {/* Uyghur names in Arabic script are typed right to left; the field follows what is typed */}
              <Input maxLength={200} dir="auto" style={{ width: 240 }} />
            </Form.Item>
            <Form.Item label={t('newCase.sex')} name="sex" rules={[{ required: true }]}>
              <Select
                style={{ width: 100 }}
                options={(['M', 'F', 'O'] as const).map((s) => ({ value: s, label: t(`sex.${s}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('newCase.birthDate')} name="birthDate">
              <Input type="date" style={{ width: 170 }} />
            </Form.Item>
          </Space>
        </Panel>
        <Panel title={t('newCase.examSection')} size="small" className="form-card">
          <Form.Item label={t('newCase.urgency')} name="urgency" rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))}
            />
          </Form.Item>
          <Space wrap size="large" align="start">
            <Form.Item label={t('newCase.modality')} name="modality">
              <Select
                allowClear
                style={{ width: 140 }}
                options={MODALITIES.map((m) => ({ value: m, label: m }))}
              />
            </Form.Item>
            <Form.Item label={t('newCase.bodyPart')} name="bodyPart">
              <Input maxLength={64} style={{ width: 180 }} placeholder="HEAD, CHEST…" />
            </Form.Item>
          </Space>
          <Form.Item label={t('newCase.question')} name="clinicalQuestion" rules={[required]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item label={t('newCase.history')} name="clinicalHistory">
            <Input.TextArea rows={3} maxLength={8000} />
          </Form.Item>
        </Panel>
        <div className="form-footer">
          {destination === null ? (
            <Alert type="warning" title={t('newCase.noPartner')} />
          ) : (
            <Typography.Text>
              {t('newCase.goesTo')}：
              <strong>
                {destination ? `${destination.hospitalName} ${destination.departmentName}` : '…'}
              </strong>
            </Typography.Text>
          )}
          <Space>
            <Button onClick={() => void save(false)} loading={open.isPending}>
              {t('newCase.saveDraft')}
            </Button>
            <Button type="primary" onClick={() => void save(true)} loading={open.isPending}>
              {t('newCase.saveAndSubmit')}
            </Button>
          </Space>
        </div>
      </Form>
    </section>
  );
}
