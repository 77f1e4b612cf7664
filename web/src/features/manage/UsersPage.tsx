import { ManageTable } from './ManageTable';
import {
  SUBSPECIALTIES,
  type Department,
  type Hospital,
  type Role,
  type User,
  type UserCreate,
} from '@telemed/contracts';
import { App, Button, Form, Input, InputNumber, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from './FormModal';
import { refusalText, useChange, useDepartments, useHospitals, useUsers } from './manage-api';
import './messages';
import './manage.css';

const ROLES: Role[] = ['technician', 'specialist', 'admin'];
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Whether a lockout after failed sign-ins still holds. */
function isLocked(u: User): boolean {
  return u.lockedUntil !== null && Date.parse(u.lockedUntil) > Date.now();
}

/** The people of the platform: filter by hospital and role, create, reset a password, unlock, (de)activate. */
export function UsersPage(): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [hospitalId, setHospitalId] = useState<string | undefined>();
  const [role, setRole] = useState<Role | undefined>();
  const users = useUsers({ ...(hospitalId ? { hospitalId } : {}), ...(role ? { role } : {}) });
  const hospitals = useHospitals();
  const departments = useDepartments();
  const change = useChange<User>('users');
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [createForm] = Form.useForm<UserCreate>();
  const [resetForm] = Form.useForm<{ password: string; confirm: string }>();
  const hospitalOf = useMemo(() => new Map((hospitals.data ?? []).map((h) => [h.id, h])), [hospitals.data]);
  const deptOf = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d])), [departments.data]);

  const patch = async (u: User, body: object, done: string): Promise<void> => {
    try {
      await change.mutateAsync({ method: 'PATCH', path: `/api/users/${u.id}`, body });
      void message.success(done);
    } catch (e) {
      void message.error(refusalText(e, t('errors.network')));
    }
  };

  const columns: ColumnsType<User> = [
    {
      title: t('manage.users.displayName'),
      key: 'name',
      render: (_, u) => (
        <span>
          <bdi>{u.displayName}</bdi> <Typography.Text type="secondary">{u.username}</Typography.Text>
        </span>
      ),
    },
    { title: t('manage.users.role'), key: 'role', width: 110, render: (_, u) => t(`roles.${u.role}`) },
    {
      title: t('manage.users.place'),
      key: 'place',
      render: (_, u) =>
        [
          u.hospitalId && hospitalOf.get(u.hospitalId)?.name,
          u.departmentId && deptOf.get(u.departmentId)?.name,
        ]
          .filter(Boolean)
          .join(' · ') || '—',
    },
    {
      title: t('manage.users.subspecialties'),
      key: 'sub',
      width: 170,
      render: (_, u) =>
        u.subspecialties.map((s) => t(`manage.subspecialties.${s}`, { defaultValue: s })).join('、') || '—',
    },
    {
      title: t('manage.users.status'),
      key: 'status',
      width: 110,
      render: (_, u) =>
        !u.active ? (
          <Tag>{t('manage.users.inactive')}</Tag>
        ) : isLocked(u) ? (
          <Tag color="#ad4e00">{t('manage.users.locked')}</Tag>
        ) : (
          <Tag color="#3b6e1a">{t('manage.users.activeState')}</Tag>
        ),
    },
    {
      title: t('manage.actions'),
      key: 'actions',
      width: 250,
      render: (_, u) => (
        <Space size="small" wrap>
          <Button
            size="small"
            aria-label={t('manage.users.resetOf', { name: u.displayName })}
            onClick={() => {
              setResetting(u);
            }}
          >
            {t('manage.users.reset')}
          </Button>
          {isLocked(u) && (
            <Button
              size="small"
              aria-label={t('manage.users.unlockOf', { name: u.displayName })}
              onClick={() => void patch(u, { unlock: true }, t('manage.users.unlocked'))}
            >
              {t('manage.users.unlock')}
            </Button>
          )}
          <Popconfirm
            title={
              u.active
                ? t('manage.users.deactivateAsk', { name: u.displayName })
                : t('manage.users.reactivateAsk', { name: u.displayName })
            }
            okText={t('manage.confirm')}
            cancelText={t('manage.cancel')}
            onConfirm={() =>
              void patch(
                u,
                { active: !u.active },
                u.active ? t('manage.users.deactivated') : t('manage.users.reactivated'),
              )
            }
          >
            <Button
              size="small"
              danger={u.active}
              aria-label={t(u.active ? 'manage.users.deactivateOf' : 'manage.users.reactivateOf', {
                name: u.displayName,
              })}
            >
              {u.active ? t('manage.users.deactivate') : t('manage.users.reactivate')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <section aria-labelledby="users-title" className="manage-page">
      <div className="page-head">
        <Typography.Title level={2} id="users-title">
          {t('nav.users')}
        </Typography.Title>
        <Button
          type="primary"
          onClick={() => {
            setCreating(true);
          }}
        >
          {t('manage.users.create')}
        </Button>
      </div>
      <div className="manage-toolbar manage-filters" role="search" aria-label={t('manage.users.filters')}>
        <Space wrap>
          <label htmlFor="users-hospital">{t('manage.users.hospital')}</label>
          <Select
            id="users-hospital"
            className="manage-filter"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('manage.all')}
            value={hospitalId}
            onChange={setHospitalId}
            options={(hospitals.data ?? []).map((h) => ({ value: h.id, label: h.name }))}
          />
          <label htmlFor="users-role">{t('manage.users.role')}</label>
          <Select
            id="users-role"
            className="manage-filter-narrow"
            allowClear
            placeholder={t('manage.all')}
            value={role}
            onChange={setRole}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        </Space>
        <Typography.Text type="secondary">
          {t('manage.users.count', { count: users.data?.length ?? 0 })}
        </Typography.Text>
      </div>
      <ManageTable<User>
        columns={columns}
        rows={users.data}
        loading={users.isLoading}
        error={users.error}
        scroll={{ x: 1000 }}
      />
      <CreateUser
        open={creating}
        form={createForm}
        hospitals={hospitals.data ?? []}
        departments={departments.data ?? []}
        onClose={() => {
          setCreating(false);
        }}
        onSave={async (v) => {
          await change.mutateAsync({ method: 'POST', path: '/api/users', body: v });
          void message.success(t('manage.users.createdOne', { name: v.displayName }));
        }}
      />
      <FormModal<{ password: string; confirm: string }>
        title={t('manage.users.resetOf', { name: resetting?.displayName ?? '' })}
        okText={t('manage.users.reset')}
        open={resetting !== null}
        form={resetForm}
        onClose={() => {
          setResetting(null);
        }}
        onSave={async (v) => {
          if (!resetting) return;
          await change.mutateAsync({
            method: 'PATCH',
            path: `/api/users/${resetting.id}`,
            body: { password: v.password },
          });
          void message.success(t('manage.users.resetDone', { name: resetting.displayName }));
        }}
      >
        <Typography.Paragraph type="secondary">{t('manage.users.resetEffect')}</Typography.Paragraph>
        <PasswordFields />
      </FormModal>
    </section>
  );
}

/** A new password typed twice. */
function PasswordFields({ label }: { label?: string }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="password"
        label={label ?? t('manage.users.newPassword')}
        rules={[
          { required: true, message: t('manage.required') },
          { min: 8, message: t('manage.users.passwordRule') },
          { max: 256, message: t('manage.users.passwordRule') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('manage.users.confirmPassword')}
        dependencies={['password']}
        rules={[
          { required: true, message: t('manage.required') },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('password')
                ? Promise.resolve()
                : Promise.reject(new Error(t('manage.users.passwordsDiffer'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

function CreateUser({
  open,
  form,
  hospitals,
  departments,
  onClose,
  onSave,
}: {
  open: boolean;
  form: ReturnType<typeof Form.useForm<UserCreate>>[0];
  hospitals: Hospital[];
  departments: Department[];
  onClose: () => void;
  onSave: (v: UserCreate) => Promise<void>;
}): React.JSX.Element {
  const { t } = useTranslation();
  const role = Form.useWatch('role', form) as Role | undefined;
  const hospitalId = Form.useWatch('hospitalId', form);
  // technicians work at county hospitals, specialists read for city ones
  const kind = role === 'technician' ? 'county' : 'city';
  return (
    <FormModal<UserCreate & { confirm?: string }>
      title={t('manage.users.create')}
      open={open}
      form={form}
      width={640}
      onClose={onClose}
      onSave={async ({ confirm: _confirm, ...v }) => onSave(v)}
    >
      <div className="manage-form-grid">
        <Form.Item
          name="displayName"
          label={t('manage.users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('manage.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('manage.users.username')}
          rules={[
            { required: true, message: t('manage.required') },
            { pattern: USERNAME, message: t('manage.users.usernameRule') },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('manage.users.role')}
          rules={[{ required: true, message: t('manage.required') }]}
        >
          <Select
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            onChange={() => {
              form.setFieldsValue({ hospitalId: undefined, departmentId: undefined });
            }}
          />
        </Form.Item>
        {role && role !== 'admin' && (
          <Form.Item
            name="hospitalId"
            label={t('manage.users.hospital')}
            rules={[{ required: true, message: t('manage.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              onChange={() => {
                form.setFieldsValue({ departmentId: undefined });
              }}
              options={hospitals
                .filter((h) => h.kind === kind && h.active)
                .map((h) => ({ value: h.id, label: h.name }))}
            />
          </Form.Item>
        )}
        {role && role !== 'admin' && (
          <Form.Item
            name="departmentId"
            label={t('manage.users.department')}
            rules={[{ required: true, message: t('manage.required') }]}
          >
            <Select
              disabled={!hospitalId}
              placeholder={hospitalId ? undefined : t('manage.users.pickHospitalFirst')}
              options={departments
                .filter((d) => d.hospitalId === hospitalId && d.active)
                .map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
        {role === 'specialist' && (
          <Form.Item name="subspecialties" label={t('manage.users.subspecialties')}>
            <Select
              mode="multiple"
              options={SUBSPECIALTIES.map((s) => ({ value: s, label: t(`manage.subspecialties.${s}`) }))}
            />
          </Form.Item>
        )}
        {role === 'specialist' && (
          <Form.Item
            name="maxOpenCases"
            label={t('manage.users.maxOpenCases')}
            extra={t('manage.users.maxOpenCasesExtra')}
          >
            <InputNumber min={1} max={1000} precision={0} />
          </Form.Item>
        )}
      </div>
      <div className="manage-form-grid">
        <PasswordFields label={t('manage.users.initialPassword')} />
      </div>
    </FormModal>
  );
}
