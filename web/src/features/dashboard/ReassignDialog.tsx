import type { SlaCase } from '@telemed/contracts';
import { Alert, App, Form, Input, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api-client';
import { useReassign, useSpecialistChoices } from './dashboard-api';

/**
 * Hands a case to another specialist: those on duty with room are offered, least loaded first (the first chosen
 * already), with a reason filled in; one confirmation does it. The api's refusal is shown as it says it.
 */
export function ReassignDialog({
  sla,
  onClose,
}: {
  sla: SlaCase | null;
  onClose: () => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const choices = useSpecialistChoices(sla?.caseId ?? null);
  const reassign = useReassign();
  const [form] = Form.useForm<{ specialistId: string; reason: string }>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const first = choices.data?.[0]?.userId;

  const caseId = sla?.caseId;
  // the least loaded specialist is chosen already: one confirmation hands the case on
  useEffect(() => {
    if (caseId && first && !form.getFieldValue('specialistId')) form.setFieldValue('specialistId', first);
  }, [caseId, first, form]);

  const close = (): void => {
    setRefusal(null);
    reassign.reset();
    form.resetFields();
    onClose();
  };

  const send = async ({ specialistId, reason }: { specialistId: string; reason: string }): Promise<void> => {
    if (!sla) return;
    setRefusal(null);
    try {
      const moved = await reassign.mutateAsync({ caseId: sla.caseId, specialistId, reason: reason.trim() });
      void message.success(t('dashboard.reassign.done', { name: moved.assignedSpecialistName ?? '' }));
      close();
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.message : t('errors.network'));
    }
  };

  const offered = choices.data ?? [];
  return (
    <Modal
      open={sla !== null}
      title={t('dashboard.reassign.title')}
      okText={t('dashboard.reassign.confirm')}
      cancelText={t('dashboard.reassign.cancel')}
      okButtonProps={{ disabled: offered.length === 0, loading: reassign.isPending }}
      onOk={() => {
        form.submit();
      }}
      onCancel={close}
      destroyOnHidden
      width={560}
    >
      {sla && (
        <Typography.Paragraph>
          {sla.hospitalName} · {t(`urgency.${sla.urgency}`)} ·{' '}
          {t('dashboard.reassign.current', { name: sla.specialistName ?? t('dashboard.reassign.nobody') })}
        </Typography.Paragraph>
      )}
      {refusal && <Alert type="error" role="alert" showIcon title={refusal} className="dashboard-refusal" />}
      {choices.isLoading && <Spin />}
      {choices.error && (
        <Alert
          type="error"
          role="alert"
          showIcon
          title={choices.error instanceof ApiError ? choices.error.message : t('errors.network')}
        />
      )}
      {choices.data && offered.length === 0 && (
        <Alert type="warning" showIcon title={t('dashboard.reassign.none')} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ reason: t('dashboard.reassign.defaultReason') }}
        onFinish={(values) => void send(values)}
      >
        {offered.length > 0 && (
          <Form.Item name="specialistId" label={t('dashboard.reassign.choose')} rules={[{ required: true }]}>
            <Radio.Group>
              <Space orientation="vertical">
                {offered.map((s) => (
                  <Radio key={s.userId} value={s.userId}>
                    {s.displayName}
                    <Typography.Text type="secondary">
                      {' '}
                      · {s.hospitalName} {s.departmentName} ·{' '}
                      {t('dashboard.reassign.load', { open: s.openCases, cap: s.cap })}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('dashboard.reassign.reason')}
          rules={[{ required: true, whitespace: true, message: t('dashboard.reassign.reasonRequired') }]}
        >
          <Input maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
