import { ManageTable } from './ManageTable';
import { DEFAULT_TIME_ZONE, type RosterEntry, type User } from '@telemed/contracts';
import { App, Button, Form, Input, Popconfirm, Radio, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from './FormModal';
import {
  addDays,
  atWallTime,
  clockText,
  dayOf,
  mondayOf,
  minutesOf,
  wallClock,
  type CalendarDay,
} from './hospital-clock';
import { refusalText, useChange, useDepartments, useHospitals, useRoster, useUsers } from './manage-api';
import './messages';
import './manage.css';

/** The shifts the seed and most departments keep; any other span may be typed. */
const SHIFTS = {
  day: { from: 8 * 60, to: 20 * 60 },
  night: { from: 20 * 60, to: 8 * 60 },
} as const;
type ShiftKind = keyof typeof SHIFTS | 'other';

interface ShiftForm {
  kind: ShiftKind;
  from?: string;
  to?: string;
  note?: string;
}

/** Minutes of `instant` past the midnight of `day` on the hospital's clock. */
function minutesInto(day: CalendarDay, instant: Date, zone: string): number {
  return Math.round((instant.getTime() - atWallTime(day, 0, zone).getTime()) / 60_000);
}

/**
 * The duty roster of one city department as a week: specialists as rows, days as columns, shifts in the cells, on
 * the clock of the department's hospital. A cell's button adds a shift; a shift's button removes it.
 */
export function RosterPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const hospitals = useHospitals();
  const departments = useDepartments();
  const specialists = useUsers({ role: 'specialist' });
  const change = useChange<RosterEntry>('roster');
  const [chosen, setChosen] = useState<string | undefined>();
  const [week, setWeek] = useState<CalendarDay | null>(null);
  const [adding, setAdding] = useState<{ user: User; day: CalendarDay } | null>(null);
  const [form] = Form.useForm<ShiftForm>();

  const hospitalOf = useMemo(() => new Map((hospitals.data ?? []).map((h) => [h.id, h])), [hospitals.data]);
  const hospitalOrder = (hospitals.data ?? []).map((h) => h.id);
  const cityDepartments = (departments.data ?? [])
    .filter((d) => d.active && hospitalOf.get(d.hospitalId)?.kind === 'city')
    .sort(
      (a, b) =>
        hospitalOrder.indexOf(a.hospitalId) - hospitalOrder.indexOf(b.hospitalId) ||
        a.code.localeCompare(b.code),
    );
  const department = cityDepartments.find((d) => d.id === chosen) ?? cityDepartments[0];
  const hospital = department ? hospitalOf.get(department.hospitalId) : undefined;
  const zone = hospital?.timeZone ?? DEFAULT_TIME_ZONE;
  const today = dayOf(new Date(), zone);
  const monday = week ?? mondayOf(today);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const window = department
    ? {
        from: atWallTime(monday, 0, zone).toISOString(),
        to: atWallTime(addDays(monday, 7), 0, zone).toISOString(),
        departmentId: department.id,
      }
    : null;
  const roster = useRoster(window);
  const people = (specialists.data ?? []).filter((u) => u.active && u.departmentId === department?.id);

  const cellOf = (userId: string, day: CalendarDay): RosterEntry[] =>
    (roster.data ?? []).filter((e) => e.userId === userId && dayOf(new Date(e.startsAt), zone) === day);

  const dayLabel = (day: CalendarDay): string =>
    new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'UTC',
      weekday: 'short',
      month: 'numeric',
      day: 'numeric',
    }).format(new Date(`${day}T00:00:00Z`));

  const span = (e: RosterEntry, day: CalendarDay): string => {
    const start = wallClock(new Date(e.startsAt), zone);
    const endAt = new Date(e.endsAt);
    const end = wallClock(endAt, zone);
    const after = Math.floor(minutesInto(day, endAt, zone) / 1440);
    const endText = clockText(end.hour * 60 + end.minute);
    return `${clockText(start.hour * 60 + start.minute)}–${after > 0 ? t('manage.roster.nextDay', { time: endText }) : endText}`;
  };

  const remove = async (e: RosterEntry): Promise<void> => {
    try {
      await change.mutateAsync({ method: 'DELETE', path: `/api/roster/${e.id}` });
      void message.success(t('manage.roster.removed'));
    } catch (err) {
      void message.error(refusalText(err, t('errors.network')));
    }
  };

  const columns: ColumnsType<User> = [
    {
      title: t('manage.roster.specialist'),
      key: 'who',
      fixed: 'left',
      width: 130,
      render: (_, u) => (
        <span>
          <bdi>{u.displayName}</bdi>
          <br />
          <Typography.Text type="secondary" className="manage-small">
            {u.subspecialties.map((s) => t(`manage.subspecialties.${s}`, { defaultValue: s })).join('、')}
          </Typography.Text>
        </span>
      ),
    },
    ...days.map((day) => ({
      title: (
        <span className={day === today ? 'manage-today' : undefined}>
          {dayLabel(day)}
          {day === today && <span className="manage-today-mark"> · {t('manage.roster.today')}</span>}
        </span>
      ),
      key: day,
      onCell: () => ({
        className: day === today ? 'manage-roster-cell manage-today-cell' : 'manage-roster-cell',
      }),
      render: (_: unknown, u: User) => (
        <div className="manage-cell">
          {cellOf(u.id, day).map((e) => (
            <Popconfirm
              key={e.id}
              title={t('manage.roster.removeAsk', { name: u.displayName, span: span(e, day) })}
              okText={t('manage.roster.remove')}
              cancelText={t('manage.cancel')}
              onConfirm={() => void remove(e)}
            >
              <Button
                size="small"
                className={`manage-shift ${minutesInto(day, new Date(e.startsAt), zone) >= 18 * 60 ? 'manage-shift-night' : ''}`}
                aria-label={t('manage.roster.shiftOf', {
                  name: u.displayName,
                  day: dayLabel(day),
                  span: span(e, day),
                  note: e.note,
                })}
              >
                {e.note && <span className="manage-shift-note">{e.note}</span>}
                <span>{span(e, day)}</span>
              </Button>
            </Popconfirm>
          ))}
          <Button
            size="small"
            type="dashed"
            className="manage-add-shift"
            aria-label={t('manage.roster.addFor', { name: u.displayName, day: dayLabel(day) })}
            onClick={() => {
              form.setFieldsValue({ kind: 'day', note: t('manage.roster.kinds.day') });
              setAdding({ user: u, day });
            }}
          >
            +
          </Button>
        </div>
      ),
    })),
  ];

  const kind = Form.useWatch('kind', form);
  return (
    <section aria-labelledby="roster-title" className="manage-page">
      <Typography.Title level={2} id="roster-title">
        {t('nav.roster')}
      </Typography.Title>
      <div className="manage-toolbar">
        <Space wrap>
          <label htmlFor="roster-department">{t('manage.roster.department')}</label>
          <Select
            id="roster-department"
            className="manage-filter-wide"
            showSearch={{ optionFilterProp: 'label' }}
            value={department?.id}
            onChange={setChosen}
            options={cityDepartments.map((d) => ({
              value: d.id,
              label: `${hospitalOf.get(d.hospitalId)?.name ?? ''} · ${d.name}`,
            }))}
          />
        </Space>
        <Space wrap>
          <Button
            onClick={() => {
              setWeek(addDays(monday, -7));
            }}
          >
            {t('manage.roster.previous')}
          </Button>
          <Button
            onClick={() => {
              setWeek(null);
            }}
            disabled={week === null || week === mondayOf(today)}
          >
            {t('manage.roster.thisWeek')}
          </Button>
          <Button
            onClick={() => {
              setWeek(addDays(monday, 7));
            }}
          >
            {t('manage.roster.next')}
          </Button>
        </Space>
      </div>
      <Typography.Paragraph className="manage-week" aria-live="polite">
        <strong>{t('manage.roster.week', { from: monday, to: addDays(monday, 6) })}</strong>{' '}
        <Typography.Text type="secondary">
          {t('manage.roster.clock', {
            hospital: hospital?.name ?? '',
            zone: t(`manage.zones.${zone.replace('/', '_')}`, { defaultValue: zone }),
          })}
        </Typography.Text>
      </Typography.Paragraph>
      <ManageTable<User>
        size="small"
        bordered
        className="manage-roster"
        columns={columns}
        rows={people}
        loading={roster.isLoading || specialists.isLoading}
        error={roster.error}
        pageSize={false}
        emptyText={t('manage.roster.nobody')}
        scroll={{ x: 1150 }}
      />
      <FormModal<ShiftForm>
        title={
          adding
            ? t('manage.roster.addFor', { name: adding.user.displayName, day: dayLabel(adding.day) })
            : ''
        }
        open={adding !== null}
        form={form}
        onClose={() => {
          setAdding(null);
        }}
        okText={t('manage.roster.add')}
        onSave={async (v) => {
          if (!adding || !department) return;
          const spanOf =
            v.kind === 'other'
              ? { from: minutesOf(v.from ?? '') ?? 0, to: minutesOf(v.to ?? '') ?? 0 }
              : SHIFTS[v.kind];
          // a shift that ends at or before its start time ends on the next day
          const to = spanOf.to <= spanOf.from ? spanOf.to + 1440 : spanOf.to;
          await change.mutateAsync({
            method: 'POST',
            path: '/api/roster',
            body: {
              userId: adding.user.id,
              departmentId: department.id,
              startsAt: atWallTime(adding.day, spanOf.from, zone).toISOString(),
              endsAt: atWallTime(adding.day, to, zone).toISOString(),
              note: v.note?.trim() ?? '',
            },
          });
          void message.success(t('manage.roster.added'));
        }}
      >
        <Typography.Paragraph type="secondary">
          {t('manage.roster.clock', {
            hospital: hospital?.name ?? '',
            zone: t(`manage.zones.${zone.replace('/', '_')}`, { defaultValue: zone }),
          })}
        </Typography.Paragraph>
        <Form.Item
          name="kind"
          label={t('manage.roster.kind')}
          rules={[{ required: true, message: t('manage.required') }]}
        >
          <Radio.Group
            onChange={(e) => {
              const k = e.target.value as ShiftKind;
              form.setFieldsValue({ note: k === 'other' ? '' : t(`manage.roster.kinds.${k}`) });
            }}
            options={(['day', 'night', 'other'] as const).map((k) => ({
              value: k,
              label:
                k === 'other'
                  ? t('manage.roster.kinds.other')
                  : `${t(`manage.roster.kinds.${k}`)} ${clockText(SHIFTS[k].from)}–${clockText(SHIFTS[k].to)}`,
            }))}
          />
        </Form.Item>
        {kind === 'other' && (
          <Space align="start">
            <Form.Item
              name="from"
              label={t('manage.roster.from')}
              rules={[
                { required: true, message: t('manage.required') },
                {
                  validator: (_, v: string | undefined) =>
                    !v || minutesOf(v) !== null
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('manage.timeRule'))),
                },
              ]}
            >
              <Input placeholder="08:00" className="manage-time" />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('manage.roster.to')}
              extra={t('manage.roster.toExtra')}
              dependencies={['from']}
              rules={[
                { required: true, message: t('manage.required') },
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) => {
                    if (!v) return Promise.resolve();
                    const m = minutesOf(v);
                    if (m === null) return Promise.reject(new Error(t('manage.timeRule')));
                    if (m === minutesOf(String(getFieldValue('from') ?? '')))
                      return Promise.reject(new Error(t('manage.roster.emptySpan')));
                    return Promise.resolve();
                  },
                }),
              ]}
            >
              <Input placeholder="20:00" className="manage-time" />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="note" label={t('manage.roster.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </FormModal>
    </section>
  );
}
