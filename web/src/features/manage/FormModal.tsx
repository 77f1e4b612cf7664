import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldRefusals } from '../../lib/form-refusal';
import { refusalText } from './manage-api';

/**
 * A form in a dialog: checked before it is sent; when the api refuses, its refusal is shown inside it and each field
 * at fault under its input, in the user's language.
 */
export function FormModal<V extends object>({
  title,
  open,
  form,
  onClose,
  onSave,
  okText,
  width,
  children,
}: {
  title: string;
  open: boolean;
  form: FormInstance<V>;
  onClose: () => void;
  onSave: (values: V) => Promise<unknown>;
  okText?: string;
  width?: number;
  children: ReactNode;
}): React.JSX.Element {
  const { t } = useTranslation();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const close = (): void => {
    setRefusal(null);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      onOk={() => {
        form.submit();
      }}
      okText={okText ?? t('manage.save')}
      cancelText={t('manage.cancel')}
      confirmLoading={saving}
      width={width ?? 560}
      className="manage-page"
      destroyOnHidden
    >
      {refusal && <Alert type="error" role="alert" showIcon title={refusal} className="form-error" />}
      <Form<V>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => {
          setSaving(true);
          setRefusal(null);
          onSave(values)
            .then(() => {
              form.resetFields();
              close();
            })
            .catch((e: unknown) => {
              setRefusal(refusalText(e, t('errors.network'), showFieldRefusals(form, e)));
            })
            .finally(() => {
              setSaving(false);
            });
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}
