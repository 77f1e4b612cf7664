import { ManageTable } from './ManageTable';
import { DEFAULT_TIME_ZONE, type AuditEvent, type AuditOutcome, type AuditQuery } from '@telemed/contracts';
import { Button, DatePicker, Descriptions, Form, Input, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hospitalTime } from '../../lib/format';
import { atWallTime } from './hospital-clock';
import { useAuditTrail, useHospitals, useUsers } from './manage-api';
import './messages';
import './manage.css';

const PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUTCOME_COLOR: Record<AuditOutcome, string> = {
  success: '#3b6e1a',
  denied: '#a8071a',
  not_found: 'default',
  invalid: '#ad4e00',
  conflict: '#ad4e00',
  error: '#a8071a',
};

interface Filters {
  userId?: string;
  patientMrn?: string;
  caseId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** A moment picked on the search form, read on Beijing time, where the platform's administrators work. */
function beijing(d: Dayjs): string {
  return atWallTime(d.format('YYYY-MM-DD'), d.hour() * 60 + d.minute(), DEFAULT_TIME_ZONE).toISOString();
}

/** The audit trail: who did what to which record, when, from where, and with what outcome; searched and paged. */
export function AuditPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [search, setSearch] = useState<Omit<AuditQuery, 'cursor'>>({ limit: PAGE });
  // the cursors of the pages before this one, so that 上一页 goes back
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const trail = useAuditTrail({ ...search, ...(cursor ? { cursor } : {}) });
  const users = useUsers();
  const hospitals = useHospitals();
  const zoneOf = useMemo(() => {
    const zones = new Map((hospitals.data ?? []).map((h) => [h.id, h.timeZone]));
    return (id: string | null): string => (id && zones.get(id)) || DEFAULT_TIME_ZONE;
  }, [hospitals.data]);
  const nameOf = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.displayName])), [users.data]);

  const actionText = (action: string): string =>
    t(`manage.audit.actions.${action.replaceAll('.', '_')}`, { defaultValue: action });
  const zoneName = (zone: string): string =>
    t(`manage.zones.${zone.replace('/', '_')}`, { defaultValue: zone });

  const columns: ColumnsType<AuditEvent> = [
    {
      title: t('manage.audit.when'),
      key: 'when',
      width: 170,
      render: (_, e) => (
        <span>
          {hospitalTime(e.at, zoneOf(e.hospitalId), i18n.language)}
          <br />
          <Typography.Text type="secondary" className="manage-small">
            {zoneName(zoneOf(e.hospitalId))}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('manage.audit.who'),
      key: 'who',
      width: 170,
      render: (_, e) =>
        e.actorUsername ? (
          <span>
            <bdi>{(e.actorId && nameOf.get(e.actorId)) ?? e.actorUsername}</bdi>
            <br />
            <Typography.Text type="secondary" className="manage-small">
              {e.actorUsername} · {t(`roles.${e.actorRole}`, { defaultValue: e.actorRole })}
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary">{t('manage.audit.nobody')}</Typography.Text>
        ),
    },
    { title: t('manage.audit.what'), key: 'what', width: 170, render: (_, e) => actionText(e.action) },
    {
      title: t('manage.audit.object'),
      key: 'object',
      render: (_, e) => (
        <span>
          {t(`manage.audit.resources.${e.resourceType}`, { defaultValue: e.resourceType })}
          {e.resourceId && (
            <>
              <br />
              <Typography.Text type="secondary" className="manage-small manage-id">
                {e.resourceType === 'user' && nameOf.get(e.resourceId) ? (
                  <bdi>{nameOf.get(e.resourceId)}</bdi>
                ) : (
                  e.resourceId
                )}
              </Typography.Text>
            </>
          )}
        </span>
      ),
    },
    {
      title: t('manage.audit.from'),
      dataIndex: 'ip',
      key: 'ip',
      width: 130,
      render: (ip: string) => ip || '—',
    },
    {
      title: t('manage.audit.outcome'),
      key: 'outcome',
      width: 150,
      render: (_, e) => (
        <span>
          <Tag color={OUTCOME_COLOR[e.outcome]}>{t(`manage.audit.outcomes.${e.outcome}`)}</Tag>
          {/* why a sign-in was refused, as recorded */}
          {e.outcome !== 'success' && typeof e.details.reason === 'string' && (
            <Typography.Text type="secondary" className="manage-small">
              {t(`manage.audit.reasons.${e.details.reason.replaceAll(' ', '_')}`, {
                defaultValue: e.details.reason,
              })}
            </Typography.Text>
          )}
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby="audit-title" className="manage-page">
      <Typography.Title level={2} id="audit-title">
        {t('nav.audit')}
      </Typography.Title>
      <Form<Filters>
        form={form}
        layout="inline"
        className="manage-audit-form"
        role="search"
        aria-label={t('manage.audit.search')}
        onFinish={(v) => {
          const [from, to] = v.range ?? [];
          setCursors([]);
          setSearch({
            limit: PAGE,
            ...(v.userId ? { userId: v.userId } : {}),
            ...(v.patientMrn?.trim() ? { patientMrn: v.patientMrn.trim() } : {}),
            ...(v.caseId?.trim() ? { caseId: v.caseId.trim().toLowerCase() } : {}),
            ...(from ? { from: beijing(from) } : {}),
            ...(to ? { to: beijing(to) } : {}),
          });
        }}
      >
        <Form.Item name="userId" label={t('manage.audit.user')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            className="manage-filter"
            placeholder={t('manage.audit.anyone')}
            options={(users.data ?? []).map((u) => ({
              value: u.id,
              label: `${u.displayName} (${u.username})`,
            }))}
          />
        </Form.Item>
        <Form.Item name="patientMrn" label={t('manage.audit.patient')}>
          <Input
            allowClear
            maxLength={64}
            className="manage-filter-narrow"
            placeholder={t('manage.audit.mrn')}
          />
        </Form.Item>
        <Form.Item
          name="caseId"
          label={t('manage.audit.case')}
          rules={[
            {
              validator: (_, v: string | undefined) =>
                !v?.trim() || UUID.test(v.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('manage.audit.caseRule'))),
            },
          ]}
        >
          <Input allowClear className="manage-filter" placeholder={t('manage.audit.caseHint')} />
        </Form.Item>
        <Form.Item
          name="range"
          label={t('manage.audit.range')}
          extra={t('manage.audit.rangeExtra')}
          rules={[
            {
              validator: (_, v: Filters['range']) =>
                !v?.[0] || !v[1] || v[0].isBefore(v[1])
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('manage.audit.rangeRule'))),
            },
          ]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            aria-label={t('manage.audit.range')}
            placeholder={[t('manage.audit.rangeFrom'), t('manage.audit.rangeTo')]}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('manage.audit.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setCursors([]);
                setSearch({ limit: PAGE });
              }}
            >
              {t('manage.audit.clear')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <ManageTable<AuditEvent>
        size="small"
        columns={columns}
        rows={trail.data?.items}
        loading={trail.isFetching}
        error={trail.error}
        pageSize={false}
        emptyText={t('manage.audit.none')}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (e) => <EventDetails event={e} />,
          expandRowByClick: false,
          columnTitle: <span className="manage-sr-only">{t('manage.audit.details')}</span>,
        }}
      />
      <nav className="manage-pager" aria-label={t('manage.audit.pages')}>
        <Typography.Text type="secondary">
          {t('manage.audit.page', { n: cursors.length + 1 })}
        </Typography.Text>
        <Space>
          <Button
            disabled={!cursors.length}
            onClick={() => {
              setCursors(cursors.slice(0, -1));
            }}
          >
            {t('manage.audit.previous')}
          </Button>
          <Button
            disabled={!trail.data?.nextCursor}
            onClick={() => {
              const next = trail.data?.nextCursor;
              if (next) setCursors([...cursors, next]);
            }}
          >
            {t('manage.audit.next')}
          </Button>
        </Space>
      </nav>
    </section>
  );
}

/** Everything an event holds: the request it came from and its details, as recorded. */
function EventDetails({ event }: { event: AuditEvent }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label={t('manage.audit.eventNo')}>{event.id}</Descriptions.Item>
      <Descriptions.Item label={t('manage.audit.action')}>{event.action}</Descriptions.Item>
      <Descriptions.Item label={t('manage.audit.requestId')}>{event.requestId || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('manage.audit.userAgent')}>{event.userAgent || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('manage.audit.details')}>
        <pre className="manage-json">{JSON.stringify(event.details, null, 2)}</pre>
      </Descriptions.Item>
    </Descriptions>
  );
}
