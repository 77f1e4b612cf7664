import {
  DEFAULT_TIME_ZONE,
  type Department,
  type DepartmentCreate,
  type Hospital,
  type HospitalCreate,
  type HospitalKind,
  type Partnership,
  type PartnershipCreate,
} from '@telemed/contracts';
import {
  App,
  AutoComplete,
  Button,
  Form,
  InputNumber,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CodeField, RequiredText } from './fields';
import { FormModal } from './FormModal';
import { refusalText, useChange, useDepartments, useHospitals, usePartnerships } from './manage-api';
import './messages';
import './manage.css';
import { ManageList, ManageTable } from './ManageTable';

const ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
/** The zones the platform's hospitals keep; another IANA name may be typed. */
const KNOWN_ZONES = ['Asia/Shanghai', 'Asia/Urumqi'];

/** A zone as staff know it: 北京时间 / 新疆时间, with its IANA name. */
function ZoneName({ zone }: { zone: string }): React.JSX.Element {
  const { t } = useTranslation();
  const known = KNOWN_ZONES.includes(zone);
  return (
    <span>
      {known ? t(`manage.zones.${zone.replace('/', '_')}`) : zone}
      {known && (
        <Typography.Text type="secondary" className="manage-zone-id">
          {zone}
        </Typography.Text>
      )}
    </span>
  );
}

function kindTag(kind: HospitalKind, label: string): React.JSX.Element {
  // solid and dark enough for white text to read at 4.5:1
  return <Tag color={kind === 'city' ? '#1f5f8b' : '#3b6e1a'}>{label}</Tag>;
}

/** Hospitals with their time zone, their departments, and the 科室对科室 pairings between county and city. */
export function HospitalsPage(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="hospitals-title" className="manage-page">
      <Typography.Title level={2} id="hospitals-title">
        {t('nav.hospitals')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'hospitals', label: t('manage.hospitals.tab'), children: <HospitalsTab /> },
          { key: 'departments', label: t('manage.departments.tab'), children: <DepartmentsTab /> },
          { key: 'partnerships', label: t('manage.partnerships.tab'), children: <PartnershipsTab /> },
        ]}
      />
    </section>
  );
}

function HospitalsTab(): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const hospitals = useHospitals();
  const change = useChange<Hospital>('hospitals');
  const [zoneOf, setZoneOf] = useState<Hospital | null>(null);
  const [createForm] = Form.useForm<HospitalCreate>();
  const [zoneForm] = Form.useForm<{ timeZone: string }>();

  const toggle = async (h: Hospital, active: boolean): Promise<void> => {
    try {
      await change.mutateAsync({ method: 'PATCH', path: `/api/hospitals/${h.id}`, body: { active } });
    } catch (e) {
      void message.error(refusalText(e, t('errors.network')));
    }
  };

  const columns: ColumnsType<Hospital> = [
    {
      title: t('manage.hospitals.name'),
      key: 'name',
      render: (_, h) => (
        <span>
          {h.name} <Typography.Text type="secondary">{h.code}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('manage.hospitals.kind'),
      key: 'kind',
      width: 110,
      render: (_, h) => kindTag(h.kind, t(`manage.kinds.${h.kind}`)),
    },
    { title: t('manage.hospitals.region'), dataIndex: 'region', key: 'region', width: 200 },
    {
      title: t('manage.hospitals.timeZone'),
      key: 'zone',
      width: 260,
      render: (_, h) => (
        <Space>
          <ZoneName zone={h.timeZone} />
          <Button
            size="small"
            aria-label={t('manage.hospitals.changeZoneOf', { name: h.name })}
            onClick={() => {
              zoneForm.setFieldsValue({ timeZone: h.timeZone });
              setZoneOf(h);
            }}
          >
            {t('manage.change')}
          </Button>
        </Space>
      ),
    },
    {
      title: t('manage.active'),
      key: 'active',
      width: 100,
      render: (_, h) => (
        <Switch
          checked={h.active}
          aria-label={t('manage.activeOf', { name: h.name })}
          onChange={(on) => void toggle(h, on)}
        />
      ),
    },
  ];

  return (
    <>
      <ManageList<Hospital, HospitalCreate>
        hint={t('manage.hospitals.hint')}
        createLabel={t('manage.hospitals.create')}
        columns={columns}
        rows={hospitals.data}
        loading={hospitals.isLoading}
        error={hospitals.error}
        pageSize={false}
        form={createForm}
        onCreate={async (v) => {
          await change.mutateAsync({ method: 'POST', path: '/api/hospitals', body: v });
          void message.success(t('manage.saved'));
        }}
      >
        <RequiredText name="name" label={t('manage.hospitals.name')} maxLength={200} />
        <CodeField />
        <Form.Item
          name="kind"
          label={t('manage.hospitals.kind')}
          rules={[{ required: true, message: t('manage.required') }]}
        >
          <Select
            options={(['county', 'city'] as const).map((k) => ({ value: k, label: t(`manage.kinds.${k}`) }))}
          />
        </Form.Item>
        <RequiredText name="region" label={t('manage.hospitals.region')} maxLength={200} />
        <ZoneField />
      </ManageList>
      <FormModal<{ timeZone: string }>
        title={t('manage.hospitals.changeZoneOf', { name: zoneOf?.name ?? '' })}
        open={zoneOf !== null}
        form={zoneForm}
        onClose={() => {
          setZoneOf(null);
        }}
        onSave={async (v) => {
          if (!zoneOf) return;
          await change.mutateAsync({ method: 'PATCH', path: `/api/hospitals/${zoneOf.id}`, body: v });
          void message.success(t('manage.saved'));
        }}
      >
        <Typography.Paragraph type="secondary">{t('manage.hospitals.zoneEffect')}</Typography.Paragraph>
        <ZoneField />
      </FormModal>
    </>
  );
}

/** The time zone: Beijing or Xinjiang time offered, any IANA name accepted. */
function ZoneField(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="timeZone"
      label={t('manage.hospitals.timeZone')}
      initialValue={DEFAULT_TIME_ZONE}
      extra={t('manage.hospitals.zoneExtra')}
      rules={[
        { required: true, message: t('manage.required') },
        { pattern: ZONE, message: t('manage.hospitals.zoneRule') },
      ]}
    >
      <AutoComplete
        options={KNOWN_ZONES.map((z) => ({
          value: z,
          label: `${t(`manage.zones.${z.replace('/', '_')}`)} (${z})`,
        }))}
      />
    </Form.Item>
  );
}

function DepartmentsTab(): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const hospitals = useHospitals();
  const departments = useDepartments();
  const change = useChange<Department>('departments');
  const [hospitalId, setHospitalId] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<DepartmentCreate>();
  const byId = useMemo(() => new Map((hospitals.data ?? []).map((h) => [h.id, h])), [hospitals.data]);
  const shown = (departments.data ?? []).filter((d) => !hospitalId || d.hospitalId === hospitalId);

  const toggle = async (d: Department, active: boolean): Promise<void> => {
    try {
      await change.mutateAsync({ method: 'PATCH', path: `/api/departments/${d.id}`, body: { active } });
    } catch (e) {
      void message.error(refusalText(e, t('errors.network')));
    }
  };
  const columns: ColumnsType<Department> = [
    {
      title: t('manage.departments.hospital'),
      key: 'hospital',
      render: (_, d) => byId.get(d.hospitalId)?.name ?? '—',
    },
    { title: t('manage.departments.name'), dataIndex: 'name', key: 'name', width: 200 },
    { title: t('manage.code'), dataIndex: 'code', key: 'code', width: 120 },
    { title: t('manage.departments.specialty'), dataIndex: 'specialty', key: 'specialty', width: 160 },
    {
      title: t('manage.active'),
      key: 'active',
      width: 100,
      render: (_, d) => (
        <Switch
          checked={d.active}
          aria-label={t('manage.activeOf', { name: `${byId.get(d.hospitalId)?.name ?? ''} ${d.name}` })}
          onChange={(on) => void toggle(d, on)}
        />
      ),
    },
  ];
  const hospitalOptions = (hospitals.data ?? []).map((h) => ({ value: h.id, label: h.name }));
  return (
    <>
      <div className="manage-toolbar">
        <Space>
          <label htmlFor="departments-hospital">{t('manage.departments.hospital')}</label>
          <Select
            id="departments-hospital"
            className="manage-filter"
            allowClear
            placeholder={t('manage.all')}
            value={hospitalId}
            onChange={setHospitalId}
            options={hospitalOptions}
          />
        </Space>
        <Button
          type="primary"
          onClick={() => {
            form.setFieldsValue({ hospitalId });
            setCreating(true);
          }}
        >
          {t('manage.departments.create')}
        </Button>
      </div>
      <ManageTable<Department>
        columns={columns}
        rows={shown}
        loading={departments.isLoading}
        error={departments.error}
      />
      <FormModal<DepartmentCreate>
        title={t('manage.departments.create')}
        open={creating}
        form={form}
        onClose={() => {
          setCreating(false);
        }}
        onSave={async (v) => {
          await change.mutateAsync({ method: 'POST', path: '/api/departments', body: v });
          // show the hospital the department was added to, so that it is in sight
          setHospitalId(v.hospitalId);
          void message.success(t('manage.saved'));
        }}
      >
        <Form.Item
          name="hospitalId"
          label={t('manage.departments.hospital')}
          rules={[{ required: true, message: t('manage.required') }]}
        >
          <Select options={hospitalOptions} />
        </Form.Item>
        <RequiredText name="name" label={t('manage.departments.name')} maxLength={200} />
        <CodeField />
        <RequiredText
          name="specialty"
          label={t('manage.departments.specialty')}
          maxLength={60}
          extra={t('manage.departments.specialtyExtra')}
        />
      </FormModal>
    </>
  );
}

function PartnershipsTab(): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const hospitals = useHospitals();
  const departments = useDepartments();
  const partnerships = usePartnerships();
  const change = useChange<Partnership>('partnerships');
  const [form] = Form.useForm<PartnershipCreate>();
  const hospitalOf = useMemo(() => new Map((hospitals.data ?? []).map((h) => [h.id, h])), [hospitals.data]);
  const deptOf = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d])), [departments.data]);
  const place = (id: string): string => {
    const d = deptOf.get(id);
    return d ? `${hospitalOf.get(d.hospitalId)?.name ?? ''} · ${d.name}` : '—';
  };
  // every department, grouped under its hospital and the kind of hospital it is: the api says so if a pair is wrong
  const grouped = (hospitals.data ?? []).map((h) => ({
    label: `${h.name}（${t(`manage.kinds.${h.kind}`)}）`,
    title: h.name,
    options: (departments.data ?? [])
      .filter((d) => d.hospitalId === h.id && d.active)
      .map((d) => ({ value: d.id, label: `${h.name} · ${d.name}` })),
  }));

  const update = async (p: Partnership, body: { active?: boolean; priority?: number }): Promise<void> => {
    try {
      await change.mutateAsync({ method: 'PATCH', path: `/api/partnerships/${p.id}`, body });
    } catch (e) {
      void message.error(refusalText(e, t('errors.network')));
    }
  };
  const columns: ColumnsType<Partnership> = [
    { title: t('manage.partnerships.county'), key: 'county', render: (_, p) => place(p.countyDepartmentId) },
    {
      title: '',
      key: 'arrow',
      width: 40,
      render: () => <span aria-hidden="true">→</span>,
    },
    { title: t('manage.partnerships.city'), key: 'city', render: (_, p) => place(p.cityDepartmentId) },
    {
      title: t('manage.partnerships.priority'),
      key: 'priority',
      width: 140,
      render: (_, p) => (
        <InputNumber
          size="small"
          min={0}
          max={1000}
          defaultValue={p.priority}
          aria-label={t('manage.partnerships.priorityOf', {
            pair: `${place(p.countyDepartmentId)} → ${place(p.cityDepartmentId)}`,
          })}
          onBlur={(e) => {
            const value = Number(e.target.value);
            if (Number.isInteger(value) && value !== p.priority) void update(p, { priority: value });
          }}
        />
      ),
    },
    {
      title: t('manage.active'),
      key: 'active',
      width: 100,
      render: (_, p) => (
        <Switch
          checked={p.active}
          aria-label={t('manage.activeOf', {
            name: `${place(p.countyDepartmentId)} → ${place(p.cityDepartmentId)}`,
          })}
          onChange={(on) => void update(p, { active: on })}
        />
      ),
    },
  ];
  return (
    <>
      <ManageList<Partnership, PartnershipCreate>
        hint={t('manage.partnerships.hint')}
        createLabel={t('manage.partnerships.create')}
        columns={columns}
        rows={partnerships.data}
        loading={partnerships.isLoading}
        error={partnerships.error}
        pageSize={false}
        form={form}
        formWidth={640}
        onCreate={async (v) => {
          await change.mutateAsync({ method: 'POST', path: '/api/partnerships', body: v });
          void message.success(t('manage.saved'));
        }}
      >
        <Form.Item
          name="countyDepartmentId"
          label={t('manage.partnerships.county')}
          rules={[{ required: true, message: t('manage.required') }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={grouped} />
        </Form.Item>
        <Form.Item
          name="cityDepartmentId"
          label={t('manage.partnerships.city')}
          dependencies={['countyDepartmentId']}
          rules={[
            { required: true, message: t('manage.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                value && value === getFieldValue('countyDepartmentId')
                  ? Promise.reject(new Error(t('manage.partnerships.sameDepartment')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={grouped} />
        </Form.Item>
        <Form.Item
          name="priority"
          label={t('manage.partnerships.priority')}
          extra={t('manage.partnerships.priorityExtra')}
        >
          <InputNumber min={0} max={1000} precision={0} />
        </Form.Item>
      </ManageList>
    </>
  );
}
