import { useQueryClient } from '@tanstack/react-query';
import {
  DEFAULT_TIME_ZONE,
  URGENCIES,
  availableCaseActions,
  type CaseState,
  type CaseViewer,
  type Urgency,
  type WorklistItem,
  type WorklistQuery,
} from '@telemed/contracts';
import { Alert, App, Button, Form, Input, Modal, Popover, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../lib/api-client';
import { hospitalTime, hospitalTimeShort, spanOf } from '../../lib/format';
import { useRealtimeConnected, useRealtimeEvent, useRealtimeReconnect } from '../../lib/realtime';
import { useSession } from '../auth/useSession';
import './messages';
import { PriorCases } from './PriorCases';
import { soundStatChime } from './stat-sound';
import { WORKLIST_KEY, useHospitals, useWorklist, useWorklistAction } from './worklist-api';
import './worklist.css';

// solid and dark enough for white text to read at 4.5:1: urgency is the first thing a reader looks for
const URGENCY_COLOR: Record<Urgency, string> = { stat: '#a8071a', urgent: '#ad4e00', routine: 'default' };
const STATE_COLOR: Record<string, string> = {
  submitted: 'blue',
  assigned: 'geekblue',
  in_review: 'purple',
  preliminary: '#006d75',
};
const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'MG', 'XA', 'NM', 'PT'];
const STATES = ['submitted', 'assigned', 'in_review', 'preliminary'] as const;
// the clock runs while the specialist owes the first report
const CLOCK_STATES = new Set(['assigned', 'in_review']);

/**
 * True when a key press belongs to a field being typed in, not to the worklist. (An open dialog is told by the page's
 * own state: focus may linger in one that is fading out.)
 */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    !!target.closest('[role="combobox"], [role="listbox"]')
  );
}

/** The time now, advancing each second, for the countdowns. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

/** The worklist's parts: the cases I hold, those a colleague asks my second opinion on, the department's pool. */
type Part = 'mine' | 'asked' | 'pool';

/** What a row says about time: the SLA counting down on my cases, how long a pooled case has waited. */
function Due({ c, now, timeZone }: { c: WorklistItem; now: number; timeZone: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  if (c.state === 'submitted') {
    const since = c.submittedAt ? now - new Date(c.submittedAt).getTime() : 0;
    return (
      <Typography.Text type="secondary">
        {t('worklist.waiting', { time: spanOf(since, i18n.language) })}
      </Typography.Text>
    );
  }
  if (!c.slaDueAt || !CLOCK_STATES.has(c.state)) return <span>{t('worklist.slaNone')}</span>;
  const left = new Date(c.slaDueAt).getTime() - now;
  return (
    <div className="worklist-due">
      <Typography.Text role="timer" strong type={left < 0 ? 'danger' : undefined}>
        {left < 0
          ? t('worklist.slaBreached', { left: spanOf(left, i18n.language) })
          : t('worklist.slaLeft', { left: spanOf(left, i18n.language) })}
      </Typography.Text>
      <Typography.Text type="secondary" className="worklist-due-at">
        {t('worklist.dueAt', { time: hospitalTimeShort(c.slaDueAt, timeZone, i18n.language) })}
      </Typography.Text>
    </div>
  );
}

/**
 * The specialist's start screen: the cases they hold, those a colleague asks their second opinion on and their
 * department's pool, most urgent first, filtered, live over the socket, and driven from the keyboard (j/k or arrows,
 * Enter, c, n, r, /, ?). A STAT case arriving in the pool shows a banner and sounds a short chime.
 */
export function WorklistPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const connected = useRealtimeConnected();
  const now = useNow();
  const [filters, setFilters] = useState<WorklistQuery>({});
  const [search, setSearch] = useState('');
  const query = useMemo(
    () => ({ ...filters, ...(search.trim() ? { q: search.trim() } : {}) }),
    [filters, search],
  );
  const list = useWorklist(query);
  const hospitals = useHospitals();
  const act = useWorklistAction();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [releasing, setReleasing] = useState<WorklistItem | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [statCase, setStatCase] = useState<WorklistItem | null>(null);
  const [releaseForm] = Form.useForm<{ reason?: string }>();
  const searchRef = useRef<HTMLInputElement>(null);
  // the STAT cases already seen in the pool: a banner is for one that has just arrived
  const seenStat = useRef<Set<string> | null>(null);

  const user = session?.user;
  const viewer: CaseViewer | null = user
    ? { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId }
    : null;
  const zones = useMemo(
    () => new Map((hospitals.data ?? []).map((h) => [h.id, h.timeZone])),
    [hospitals.data],
  );
  // times on my own hospital's clock
  const zone = (user?.hospitalId && zones.get(user.hospitalId)) || DEFAULT_TIME_ZONE;
  const mine = useMemo(() => list.data?.mine ?? [], [list.data]);
  const pool = useMemo(() => list.data?.pool ?? [], [list.data]);
  const asked = useMemo(() => list.data?.secondOpinions ?? [], [list.data]);
  const rows = useMemo(() => [...mine, ...asked, ...pool], [mine, asked, pool]);
  const selected = rows.find((c) => c.id === selectedId) ?? rows[0] ?? null;

  const refresh = useCallback((): void => {
    void client.invalidateQueries({ queryKey: WORKLIST_KEY });
  }, [client]);
  useRealtimeEvent('case:pool', refresh);
  useRealtimeEvent('notification', (n) => {
    if (n.caseId) refresh();
  });
  useRealtimeReconnect(refresh);

  // a STAT case new to the pool: banner and chime (not for those already there when the screen opened)
  useEffect(() => {
    if (!list.data) return;
    const stat = list.data.pool.filter((c) => c.urgency === 'stat');
    const seen = seenStat.current;
    seenStat.current = new Set([...(seen ?? []), ...stat.map((c) => c.id)]);
    if (!seen) return;
    const arrived = stat.find((c) => !seen.has(c.id));
    if (arrived) {
      setStatCase(arrived);
      soundStatChime();
    }
  }, [list.data]);
  useEffect(() => {
    if (statCase && !pool.some((c) => c.id === statCase.id)) setStatCase(null);
  }, [pool, statCase]);

  useEffect(() => {
    if (!selected) return;
    document.querySelector(`[data-row-key="${selected.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const nameOf = (c: WorklistItem): string => c.patient.name;
  const exam = (c: { modality: string | null; bodyPart: string | null }): string =>
    [c.modality, c.bodyPart].filter(Boolean).join(' ') || '—';
  const offered = (c: WorklistItem): string[] => (viewer ? availableCaseActions(viewer, c) : []);

  const refused = (e: unknown): void => {
    // the api's own words: what is wrong and what to do
    void message.error(e instanceof ApiError ? e.message : t('errors.network'));
  };
  const claim = async (c: WorklistItem): Promise<void> => {
    try {
      await act.mutateAsync({ action: 'claim', id: c.id });
      setSelectedId(c.id);
      void message.success(t('worklist.claimed', { name: nameOf(c) }));
    } catch (e) {
      refused(e);
    }
  };
  const claimNext = (): void => {
    const next = pool.find((c) => offered(c).includes('claim'));
    if (next) void claim(next);
    else void message.info(t('worklist.nothingToClaim'));
  };
  const release = async (c: WorklistItem, reason?: string): Promise<boolean> => {
    try {
      await act.mutateAsync({ action: 'release', id: c.id, ...(reason ? { reason } : {}) });
      void message.success(t('worklist.released'));
      return true;
    } catch (e) {
      refused(e);
      return false;
    }
  };
  const open = (c: WorklistItem): void => {
    void navigate(`/cases/${c.id}`);
  };
  const move = (by: number): void => {
    if (!rows.length) return;
    const at = selected ? rows.findIndex((c) => c.id === selected.id) : -1;
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + by))];
    if (next) setSelectedId(next.id);
  };

  // the keyboard drives the list wherever focus is, but not while typing in a field or a dialog is open
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target) || releasing) return;
    const handled = ((): boolean => {
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          move(1);
          return true;
        case 'k':
        case 'ArrowUp':
          move(-1);
          return true;
        case 'Enter':
          if (!selected || (e.target instanceof HTMLElement && e.target.closest('button, a'))) return false;
          open(selected);
          return true;
        case 'c':
          if (selected && offered(selected).includes('claim')) void claim(selected);
          return true;
        case 'n':
          claimNext();
          return true;
        case 'r':
          if (selected && offered(selected).includes('release')) setReleasing(selected);
          return true;
        case '/':
          searchRef.current?.focus();
          return true;
        case '?':
          setHelpOpen((v) => !v);
          return true;
        case 'Escape':
          setHelpOpen(false);
          return false;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent): void => {
      keys.current(e);
    };
    window.addEventListener('keydown', listener);
    return () => {
      window.removeEventListener('keydown', listener);
    };
  }, []);

  const toggleExpanded = (id: string): void => {
    setExpanded((keys) => (keys.includes(id) ? keys.filter((k) => k !== id) : [...keys, id]));
  };

  // what a row offers follows what the case is to me: mine to read, a colleague's to give an opinion on, or the pool's
  const columns = (part: Part): ColumnsType<WorklistItem> => [
    {
      title: t('worklist.urgency'),
      key: 'urgency',
      width: 88,
      render: (_, c) => <Tag color={URGENCY_COLOR[c.urgency]}>{t(`urgency.${c.urgency}`)}</Tag>,
    },
    {
      title: t('worklist.patient'),
      key: 'patient',
      width: 190,
      // Uyghur names run right to left: isolated so they sit correctly in a Chinese line
      render: (_, c) => (
        <div className="worklist-patient">
          <Link to={`/cases/${c.id}`} tabIndex={-1}>
            <bdi lang="">{c.patient.name}</bdi>
          </Link>
          <Typography.Text type="secondary" className="worklist-mrn">
            {c.patient.mrn} · {t(`sex.${c.patient.sex}`)}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('worklist.exam'), key: 'exam', width: 110, render: (_, c) => exam(c) },
    {
      title: t('worklist.from'),
      dataIndex: 'requestingHospitalName',
      key: 'from',
      width: 140,
    },
    {
      title: t('worklist.question'),
      key: 'question',
      ellipsis: true,
      render: (_, c) => <span title={c.clinicalQuestion}>{c.clinicalQuestion}</span>,
    },
    ...(part !== 'pool'
      ? [
          {
            title: t('worklist.state'),
            key: 'state',
            width: 96,
            render: (_: unknown, c: WorklistItem) => (
              <Tag color={STATE_COLOR[c.state]}>
                {t(`worklist.stateName.${c.state}`, { defaultValue: t(`state.${c.state}`) })}
              </Tag>
            ),
          },
        ]
      : []),
    {
      title: t('worklist.sla'),
      key: 'sla',
      width: 176,
      render: (_, c) => <Due c={c} now={now} timeZone={zone} />,
    },
    {
      title: t('worklist.priors'),
      key: 'priors',
      width: 150,
      render: (_, c) =>
        c.priors.count === 0 ? (
          <Typography.Text type="secondary">{t('worklist.priorsNone')}</Typography.Text>
        ) : (
          <Button
            type="link"
            size="small"
            className="worklist-priors"
            aria-expanded={expanded.includes(c.id)}
            onClick={(e) => {
              e.stopPropagation();
              toggleExpanded(c.id);
            }}
          >
            {t('worklist.priorsSummary', {
              count: c.priors.count,
              date: hospitalTime(c.priors.latestAt, zone, i18n.language).slice(0, 10),
            })}
          </Button>
        ),
    },
    {
      title: t('worklist.actions'),
      key: 'actions',
      width: part === 'pool' ? 120 : 196,
      render: (_, c) => (
        <Space size={4}>
          {offered(c).includes('claim') && (
            <Button
              size="small"
              type="primary"
              loading={act.isPending && act.variables.id === c.id}
              onClick={(e) => {
                e.stopPropagation();
                void claim(c);
              }}
            >
              {t('action.claim')}
            </Button>
          )}
          {part !== 'pool' && (
            <Button
              size="small"
              onClick={(e) => {
                e.stopPropagation();
                open(c);
              }}
            >
              {t('worklist.open')}
            </Button>
          )}
          {part !== 'pool' && c.studyInstanceUid && (
            <Button
              size="small"
              onClick={(e) => {
                e.stopPropagation();
                void navigate(`/cases/${c.id}/viewer`);
              }}
            >
              {t('worklist.read')}
            </Button>
          )}
          {offered(c).includes('release') && (
            <Button
              size="small"
              onClick={(e) => {
                e.stopPropagation();
                setReleasing(c);
              }}
            >
              {t('action.release')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const table = (part: Part, data: WorklistItem[]): React.JSX.Element => (
    <Table<WorklistItem>
      rowKey="id"
      size="small"
      className="worklist-table"
      columns={columns(part)}
      dataSource={data}
      loading={list.isLoading}
      pagination={false}
      tableLayout="fixed"
      locale={{ emptyText: t(part === 'pool' ? 'worklist.poolEmpty' : 'worklist.mineEmpty') }}
      rowClassName={(c) => (c.id === selected?.id ? 'worklist-row selected' : 'worklist-row')}
      onRow={(c) => ({
        'aria-selected': c.id === selected?.id,
        onClick: () => {
          setSelectedId(c.id);
        },
        onDoubleClick: () => {
          open(c);
        },
      })}
      expandable={{
        expandedRowKeys: expanded,
        showExpandColumn: false,
        expandedRowRender: (c) => <PriorCases c={c} timeZone={zone} />,
      }}
    />
  );

  const zoneName = t(`worklist.zone.${zone}`, { defaultValue: zone });
  const shortcutList: [string, string][] = [
    ['j / k · ↓ / ↑', t('worklist.keys.move')],
    ['Enter', t('worklist.keys.open')],
    ['c', t('worklist.keys.claim')],
    ['n', t('worklist.keys.claimNext')],
    ['r', t('worklist.keys.release')],
    ['/', t('worklist.keys.search')],
    ['?', t('worklist.keys.help')],
  ];
  const filtering = Object.values(filters).some((v) => (Array.isArray(v) ? v.length : v)) || !!search;

  return (
    <section aria-labelledby="worklist-title" className="worklist">
      <div className="page-head">
        <Space align="baseline" size={16}>
          <Typography.Title level={2} id="worklist-title" className="worklist-title">
            {t('worklist.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {connected ? t('worklist.live') : t('worklist.offline')} ·{' '}
            {t('worklist.timesIn', { zone: zoneName })}
          </Typography.Text>
        </Space>
        <Space>
          <Popover
            open={helpOpen}
            onOpenChange={setHelpOpen}
            trigger="click"
            title={t('worklist.shortcutsTitle')}
            content={
              <dl className="worklist-keys">
                {shortcutList.map(([key, what]) => (
                  <div key={key}>
                    <dt>
                      <kbd>{key}</kbd>
                    </dt>
                    <dd>{what}</dd>
                  </div>
                ))}
              </dl>
            }
          >
            <Button aria-keyshortcuts="?">{t('worklist.shortcuts')}</Button>
          </Popover>
          <Button type="primary" aria-keyshortcuts="n" onClick={claimNext} disabled={!pool.length}>
            {t('worklist.claimNext')}
          </Button>
        </Space>
      </div>

      {statCase && (
        <Alert
          type="error"
          showIcon
          className="worklist-stat"
          role="alert"
          title={t('worklist.statBanner', {
            name: nameOf(statCase),
            exam: exam(statCase),
            hospital: statCase.requestingHospitalName,
          })}
          action={
            <Space>
              <Button
                size="small"
                type="primary"
                danger
                onClick={() => {
                  void claim(statCase);
                  setStatCase(null);
                }}
              >
                {t('worklist.statClaim')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  setSelectedId(statCase.id);
                  setStatCase(null);
                }}
              >
                {t('worklist.statShow')}
              </Button>
            </Space>
          }
          closable={{
            'aria-label': t('worklist.statClose'),
            onClose: () => {
              setStatCase(null);
            },
          }}
        />
      )}

      <div className="worklist-filters" role="search" aria-label={t('worklist.filters')}>
        <Input.Search
          ref={(el) => {
            searchRef.current = el?.input ?? null;
          }}
          aria-label={t('worklist.searchLabel')}
          placeholder={t('worklist.search')}
          allowClear
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
          }}
          className="worklist-search"
        />
        <Select
          mode="multiple"
          allowClear
          aria-label={t('worklist.modality')}
          placeholder={t('worklist.modality')}
          className="worklist-select"
          value={filters.modality ?? []}
          options={MODALITIES.map((m) => ({ value: m, label: m }))}
          onChange={(modality: string[]) => {
            setFilters((f) => ({ ...f, modality }));
          }}
        />
        <Select
          mode="multiple"
          allowClear
          aria-label={t('worklist.urgency')}
          placeholder={t('worklist.urgency')}
          className="worklist-select"
          value={filters.urgency ?? []}
          options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))}
          onChange={(urgency: Urgency[]) => {
            setFilters((f) => ({ ...f, urgency }));
          }}
        />
        <Select
          allowClear
          aria-label={t('worklist.hospital')}
          placeholder={t('worklist.hospital')}
          className="worklist-select wide"
          value={filters.hospitalId ?? null}
          options={(hospitals.data ?? [])
            .filter((h) => h.kind === 'county')
            .map((h) => ({ value: h.id, label: h.name }))}
          onChange={(hospitalId: string | null) => {
            setFilters(({ hospitalId: _old, ...f }) => (hospitalId ? { ...f, hospitalId } : f));
          }}
        />
        <Select
          mode="multiple"
          allowClear
          aria-label={t('worklist.state')}
          placeholder={t('worklist.state')}
          className="worklist-select wide"
          value={filters.state ?? []}
          options={STATES.map((s) => ({ value: s, label: t(`worklist.stateName.${s}`) }))}
          onChange={(state: CaseState[]) => {
            setFilters((f) => ({ ...f, state }));
          }}
        />
        {filtering && (
          <Button
            type="link"
            onClick={() => {
              setFilters({});
              setSearch('');
            }}
          >
            {t('worklist.clear')}
          </Button>
        )}
      </div>

      {list.error && (
        <Alert
          type="error"
          showIcon
          title={list.error instanceof ApiError ? list.error.message : t('errors.network')}
        />
      )}

      <section aria-labelledby="worklist-mine" className="worklist-part">
        <h3 id="worklist-mine" className="worklist-heading">
          {t('worklist.mine')} <span className="worklist-count">{mine.length}</span>
        </h3>
        {table('mine', mine)}
      </section>
      {asked.length > 0 && (
        <section aria-labelledby="worklist-second-opinions" className="worklist-part">
          <h3 id="worklist-second-opinions" className="worklist-heading">
            {t('worklist.secondOpinions')} <span className="worklist-count">{asked.length}</span>
          </h3>
          {table('asked', asked)}
        </section>
      )}
      <section aria-labelledby="worklist-pool" className="worklist-part">
        <h3 id="worklist-pool" className="worklist-heading">
          {t('worklist.pool')} <span className="worklist-count">{pool.length}</span>
        </h3>
        {table('pool', pool)}
      </section>

      <Modal
        open={releasing !== null}
        title={t('worklist.releaseTitle')}
        okText={t('worklist.confirm')}
        cancelText={t('worklist.cancel')}
        confirmLoading={act.isPending}
        onCancel={() => {
          setReleasing(null);
        }}
        onOk={() => {
          void releaseForm.validateFields().then(async ({ reason }) => {
            if (releasing && (await release(releasing, reason?.trim() || undefined))) {
              setReleasing(null);
              releaseForm.resetFields();
            }
          });
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('worklist.releaseHint')}</Typography.Paragraph>
        <Form form={releaseForm} layout="vertical">
          <Form.Item name="reason" label={t('worklist.releaseReason')}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
