import { ManageTable } from './ManageTable';
import {
  SUBSPECIALTIES,
  type RoutingRule,
  type RoutingRuleCreate,
  type Subspecialty,
  type Urgency,
} from '@telemed/contracts';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from './FormModal';
import { clockText, minutesOf } from './hospital-clock';
import { refusalText, useChange, useDepartments, useHospitals, useRoutingRules } from './manage-api';
import './messages';
import './manage.css';

const URGENCIES: Urgency[] = ['stat', 'urgent', 'routine'];
const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'MG', 'XA', 'NM', 'PT', 'RF'];
const BODY_PARTS = ['HEAD', 'NECK', 'CHEST', 'HEART', 'ABDOMEN', 'PELVIS', 'SPINE', 'EXTREMITY', 'BREAST'];
const MODALITY = /^[A-Z0-9]{2,16}$/;
const BODY_PART = /^[A-Z0-9_ ]{1,64}$/;

/** The rule as the form holds it: times of day as `HH:mm` text. */
interface RuleForm {
  name: string;
  priority: number;
  active: boolean;
  requestingHospitalId?: string | null;
  requestingDepartmentId?: string | null;
  modalities: string[];
  bodyParts: string[];
  urgencies: Urgency[];
  from?: string;
  to?: string;
  targetDepartmentId?: string | null;
  subspecialty?: Subspecialty | null;
}

function toBody(v: RuleForm): RoutingRuleCreate {
  const from = v.from ? minutesOf(v.from) : null;
  const to = v.to ? minutesOf(v.to) : null;
  return {
    name: v.name.trim(),
    priority: v.priority,
    active: v.active,
    requestingHospitalId: v.requestingHospitalId ?? null,
    requestingDepartmentId: v.requestingDepartmentId ?? null,
    modalities: v.modalities.map((m) => m.trim().toUpperCase()),
    bodyParts: v.bodyParts.map((b) => b.trim().toUpperCase()),
    urgencies: v.urgencies,
    fromMinute: from,
    toMinute: to,
    targetDepartmentId: v.targetDepartmentId ?? null,
    subspecialty: v.subspecialty ?? null,
  };
}

function toForm(r: RoutingRule): RuleForm {
  return {
    name: r.name,
    priority: r.priority,
    active: r.active,
    requestingHospitalId: r.requestingHospitalId,
    requestingDepartmentId: r.requestingDepartmentId,
    modalities: r.modalities,
    bodyParts: r.bodyParts,
    urgencies: r.urgencies,
    ...(r.fromMinute === null ? {} : { from: clockText(r.fromMinute) }),
    ...(r.toMinute === null ? {} : { to: clockText(r.toMinute) }),
    targetDepartmentId: r.targetDepartmentId,
    subspecialty: (r.subspecialty as Subspecialty | null) ?? null,
  };
}

/** Routing rules in the order they are tried: which cases (conditions) go where and to whom (target). */
export function RoutingRulesPage(): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useRoutingRules();
  const hospitals = useHospitals();
  const departments = useDepartments();
  const change = useChange<RoutingRule>('routing-rules');
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [form] = Form.useForm<RuleForm>();
  const hospitalOf = useMemo(() => new Map((hospitals.data ?? []).map((h) => [h.id, h])), [hospitals.data]);
  const deptOf = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d])), [departments.data]);
  const deptName = (id: string): string => {
    const d = deptOf.get(id);
    return d ? `${hospitalOf.get(d.hospitalId)?.name ?? ''} · ${d.name}` : '—';
  };
  const requestingHospital = Form.useWatch('requestingHospitalId', form);

  const conditions = (r: RoutingRule): React.JSX.Element => {
    const parts: [string, string][] = [];
    if (r.requestingHospitalId)
      parts.push([t('manage.routing.from'), hospitalOf.get(r.requestingHospitalId)?.name ?? '—']);
    if (r.requestingDepartmentId)
      parts.push([t('manage.routing.fromDepartment'), deptName(r.requestingDepartmentId)]);
    if (r.modalities.length) parts.push([t('manage.routing.modalities'), r.modalities.join('、')]);
    if (r.bodyParts.length)
      parts.push([
        t('manage.routing.bodyParts'),
        r.bodyParts.map((b) => t(`manage.bodyParts.${b}`, { defaultValue: b })).join('、'),
      ]);
    if (r.urgencies.length)
      parts.push([t('manage.routing.urgencies'), r.urgencies.map((u) => t(`urgency.${u}`)).join('、')]);
    if (r.fromMinute !== null && r.toMinute !== null)
      parts.push([
        t('manage.routing.window'),
        t('manage.routing.windowText', {
          from: clockText(r.fromMinute),
          to: clockText(r.toMinute),
          overnight: r.fromMinute > r.toMinute ? t('manage.routing.overnight') : '',
        }),
      ]);
    if (!parts.length)
      return <Typography.Text type="secondary">{t('manage.routing.everyCase')}</Typography.Text>;
    return (
      <ul className="manage-conditions">
        {parts.map(([k, v]) => (
          <li key={k}>
            <Typography.Text type="secondary">{k}：</Typography.Text>
            {v}
          </li>
        ))}
      </ul>
    );
  };

  const target = (r: RoutingRule): React.JSX.Element => (
    <span>
      {r.targetDepartmentId ? deptName(r.targetDepartmentId) : t('manage.routing.partnered')}
      <br />
      <Typography.Text type="secondary">
        {r.subspecialty
          ? t('manage.routing.readBy', {
              kind: t(`manage.subspecialties.${r.subspecialty}`, { defaultValue: r.subspecialty }),
            })
          : t('manage.routing.anyone')}
      </Typography.Text>
    </span>
  );

  const run = async (body: Parameters<typeof change.mutateAsync>[0], done: string): Promise<void> => {
    try {
      await change.mutateAsync(body);
      void message.success(done);
    } catch (e) {
      void message.error(refusalText(e, t('errors.network')));
    }
  };

  const columns: ColumnsType<RoutingRule> = [
    { title: t('manage.routing.priority'), dataIndex: 'priority', key: 'priority', width: 80 },
    {
      title: t('manage.routing.name'),
      key: 'name',
      width: 200,
      render: (_, r) => (r.active ? r.name : <Typography.Text type="secondary">{r.name}</Typography.Text>),
    },
    { title: t('manage.routing.conditions'), key: 'conditions', render: (_, r) => conditions(r) },
    { title: t('manage.routing.target'), key: 'target', width: 240, render: (_, r) => target(r) },
    {
      title: t('manage.active'),
      key: 'active',
      width: 90,
      render: (_, r) => (
        <Switch
          checked={r.active}
          aria-label={t('manage.activeOf', { name: r.name })}
          onChange={(on) =>
            void run(
              { method: 'PATCH', path: `/api/routing-rules/${r.id}`, body: { active: on } },
              t('manage.saved'),
            )
          }
        />
      ),
    },
    {
      title: t('manage.actions'),
      key: 'actions',
      width: 150,
      render: (_, r) => (
        <Space size="small">
          <Button
            size="small"
            aria-label={t('manage.editOf', { name: r.name })}
            onClick={() => {
              form.setFieldsValue(toForm(r));
              setEditing(r);
            }}
          >
            {t('manage.edit')}
          </Button>
          <Popconfirm
            title={t('manage.routing.deleteAsk', { name: r.name })}
            okText={t('manage.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('manage.cancel')}
            onConfirm={() =>
              void run({ method: 'DELETE', path: `/api/routing-rules/${r.id}` }, t('manage.routing.deleted'))
            }
          >
            <Button size="small" danger aria-label={t('manage.deleteOf', { name: r.name })}>
              {t('manage.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const counties = (hospitals.data ?? []).filter((h) => h.kind === 'county');
  const countyDepartments = (departments.data ?? []).filter(
    (d) =>
      hospitalOf.get(d.hospitalId)?.kind === 'county' &&
      (!requestingHospital || d.hospitalId === requestingHospital),
  );
  const cityDepartments = (departments.data ?? []).filter(
    (d) => hospitalOf.get(d.hospitalId)?.kind === 'city',
  );
  const timeRule = {
    validator: (_: unknown, v: string | undefined) =>
      !v || minutesOf(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('manage.timeRule'))),
  };

  return (
    <section aria-labelledby="routing-title" className="manage-page">
      <div className="page-head">
        <Typography.Title level={2} id="routing-title">
          {t('nav.routing')}
        </Typography.Title>
        <Button
          type="primary"
          onClick={() => {
            form.setFieldsValue({
              priority: 100,
              active: true,
              modalities: [],
              bodyParts: [],
              urgencies: [],
            });
            setEditing('new');
          }}
        >
          {t('manage.routing.create')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('manage.routing.hint')}</Typography.Paragraph>
      <ManageTable<RoutingRule>
        columns={columns}
        rows={rules.data}
        loading={rules.isLoading}
        error={rules.error}
        emptyText={t('manage.routing.none')}
        scroll={{ x: 1050 }}
        rowClassName={(r) => (r.active ? '' : 'manage-retired')}
      />
      <FormModal<RuleForm>
        title={
          editing === 'new' ? t('manage.routing.create') : t('manage.editOf', { name: editing?.name ?? '' })
        }
        open={editing !== null}
        form={form}
        width={760}
        onClose={() => {
          setEditing(null);
        }}
        onSave={async (v) => {
          const body = toBody(v);
          if (editing === 'new')
            await change.mutateAsync({ method: 'POST', path: '/api/routing-rules', body });
          else if (editing)
            await change.mutateAsync({ method: 'PATCH', path: `/api/routing-rules/${editing.id}`, body });
          void message.success(t('manage.saved'));
        }}
      >
        <div className="manage-form-grid">
          <Form.Item
            name="name"
            label={t('manage.routing.name')}
            rules={[{ required: true, whitespace: true, message: t('manage.required') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Space align="start">
            <Form.Item
              name="priority"
              label={t('manage.routing.priority')}
              extra={t('manage.routing.priorityExtra')}
              rules={[{ required: true, message: t('manage.required') }]}
            >
              <InputNumber min={0} max={100000} precision={0} />
            </Form.Item>
            <Form.Item name="active" label={t('manage.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </div>
        <Typography.Title level={5}>{t('manage.routing.whichCases')}</Typography.Title>
        <div className="manage-form-grid">
          <Form.Item name="requestingHospitalId" label={t('manage.routing.from')}>
            <Select
              allowClear
              placeholder={t('manage.routing.anyHospital')}
              onChange={() => {
                form.setFieldsValue({ requestingDepartmentId: null });
              }}
              options={counties.map((h) => ({ value: h.id, label: h.name }))}
            />
          </Form.Item>
          <Form.Item name="requestingDepartmentId" label={t('manage.routing.fromDepartment')}>
            <Select
              allowClear
              placeholder={t('manage.routing.anyDepartment')}
              options={countyDepartments.map((d) => ({ value: d.id, label: deptName(d.id) }))}
            />
          </Form.Item>
          <Form.Item
            name="modalities"
            label={t('manage.routing.modalities')}
            rules={[
              {
                validator: (_, v: string[] | undefined) =>
                  (v ?? []).every((m) => MODALITY.test(m.trim().toUpperCase()))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('manage.routing.modalityRule'))),
              },
            ]}
          >
            <Select
              mode="tags"
              placeholder={t('manage.routing.anyModality')}
              options={MODALITIES.map((m) => ({ value: m, label: m }))}
            />
          </Form.Item>
          <Form.Item
            name="bodyParts"
            label={t('manage.routing.bodyParts')}
            rules={[
              {
                validator: (_, v: string[] | undefined) =>
                  (v ?? []).every((b) => BODY_PART.test(b.trim().toUpperCase()))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('manage.routing.bodyPartRule'))),
              },
            ]}
          >
            <Select
              mode="tags"
              placeholder={t('manage.routing.anyBodyPart')}
              options={BODY_PARTS.map((b) => ({ value: b, label: `${t(`manage.bodyParts.${b}`)} (${b})` }))}
            />
          </Form.Item>
          <Form.Item
            name="urgencies"
            label={t('manage.routing.urgencies')}
            extra={t('manage.routing.noneMeansAll')}
          >
            <Checkbox.Group options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
          </Form.Item>
          <Space align="start">
            <Form.Item name="from" label={t('manage.routing.windowFrom')} rules={[timeRule]}>
              <Input placeholder="22:00" className="manage-time" />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('manage.routing.windowTo')}
              dependencies={['from']}
              rules={[
                timeRule,
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) =>
                    Boolean(v) === Boolean(getFieldValue('from'))
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('manage.routing.windowBoth'))),
                }),
              ]}
            >
              <Input placeholder="06:00" className="manage-time" />
            </Form.Item>
          </Space>
        </div>
        <Typography.Paragraph type="secondary" className="manage-small">
          {t('manage.routing.windowExtra')}
        </Typography.Paragraph>
        <Typography.Title level={5}>{t('manage.routing.goesTo')}</Typography.Title>
        <div className="manage-form-grid">
          <Form.Item name="targetDepartmentId" label={t('manage.routing.targetDepartment')}>
            <Select
              allowClear
              placeholder={t('manage.routing.partnered')}
              options={cityDepartments.map((d) => ({ value: d.id, label: deptName(d.id) }))}
            />
          </Form.Item>
          <Form.Item name="subspecialty" label={t('manage.routing.subspecialty')}>
            <Select
              allowClear
              placeholder={t('manage.routing.anyone')}
              options={SUBSPECIALTIES.map((s) => ({ value: s, label: t(`manage.subspecialties.${s}`) }))}
            />
          </Form.Item>
        </div>
      </FormModal>
    </section>
  );
}
