import { useQueryClient } from '@tanstack/react-query';
import {
  DEFAULT_TIME_ZONE,
  availableCaseActions,
  consultPath,
  permits,
  type Case,
  type CaseDetail,
  type Report,
} from '@telemed/contracts';
import {
  App,
  Alert,
  Button,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { Panel } from '../../components/Panel';
import { Outcome } from '../../components/Outcome';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { VideoCameraOutlined } from '@ant-design/icons';
import { ApiError } from '../../lib/api-client';
import { hospitalTime, spanOf } from '../../lib/format';
import { useRealtimeEvent, useRealtimeReconnect } from '../../lib/realtime';
import { useSession } from '../auth/useSession';
import './case-page-messages';
import {
  caseKey,
  reportPdf,
  useAddComment,
  useCase,
  useCaseComments,
  useCaseHistory,
  useCaseReports,
  usePatientChanges,
  useStudySeries,
} from './case-page-api';
import { LIST_ACTIONS, NEEDS_REASON, useCaseAction, useHospitals, type ListAction } from './cases-api';

const URGENCY_COLOR = { stat: '#a8071a', urgent: '#ad4e00', routine: 'default' } as const;
// the clock runs while the specialist owes the first report
const CLOCK_STATES = new Set(['assigned', 'in_review']);

// what the reading gave back loads only for a case that has some: most cases a technician opens have none yet
const CriticalFindingBanner = lazy(async () => ({
  default: (await import('./ReadingFeedback')).CriticalFindingBanner,
}));
const ReadingFeedback = lazy(async () => ({
  default: (await import('./ReadingFeedback')).ReadingFeedback,
}));

/** The time left to the report's due time, counting down each second, red once it has run out. */
function SlaClock({ c, timeZone }: { c: Case; timeZone: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const running = !!c.slaDueAt && CLOCK_STATES.has(c.state);
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [running]);
  const zoneName = t(`casePage.zone.${timeZone}`, { defaultValue: timeZone });
  if (!c.slaDueAt) return <Typography.Text type="secondary">{t('casePage.slaNone')}</Typography.Text>;
  const due = `${hospitalTime(c.slaDueAt, timeZone, i18n.language)} ${zoneName}`;
  if (!running) {
    return (
      <Typography.Text type="secondary">
        {t('casePage.slaDue', { time: due })}
        {c.preliminaryAt || c.finalizedAt ? ` · ${t('casePage.slaStopped')}` : ''}
      </Typography.Text>
    );
  }
  const left = new Date(c.slaDueAt).getTime() - now;
  return (
    <span className="sla-clock">
      <Typography.Text strong type={left < 0 ? 'danger' : undefined} className="sla-left" role="timer">
        {left < 0
          ? t('casePage.slaBreached', { left: spanOf(left, i18n.language) })
          : t('casePage.slaLeft', { left: spanOf(left, i18n.language) })}
      </Typography.Text>
      <Typography.Text type="secondary"> {t('casePage.slaDue', { time: due })}</Typography.Text>
    </span>
  );
}

/** One report version, readable on screen. */
function ReportView({ report, timeZone }: { report: Report; timeZone: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  return (
    <div className="report-view">
      <Space wrap>
        <Tag color={report.kind === 'final' ? '#237804' : '#1f6f8b'}>{t(`casePage.kind.${report.kind}`)}</Tag>
        {report.critical && <Tag color="#a8071a">{t('casePage.critical')}</Tag>}
        <Typography.Text type="secondary">
          {t('casePage.version', { version: report.version })} ·{' '}
          {t('casePage.reportBy', {
            name: report.authorName,
            time: hospitalTime(report.createdAt, timeZone, i18n.language),
          })}
        </Typography.Text>
      </Space>
      {report.reason && (
        <Typography.Paragraph className="report-reason">
          {t('casePage.addendumReason', { reason: report.reason })}
        </Typography.Paragraph>
      )}
      <Typography.Title level={5}>{t('casePage.findings')}</Typography.Title>
      <Typography.Paragraph className="pre-wrap">{report.findings}</Typography.Paragraph>
      <Typography.Title level={5}>{t('casePage.impression')}</Typography.Title>
      <Typography.Paragraph className="pre-wrap" strong>
        {report.impression}
      </Typography.Paragraph>
    </div>
  );
}

/** What the case page hands the panel in which the specialist writes the report. */
export interface ReportSlotProps {
  /** the case with what its reading gave back (second opinions, image quality, critical finding) */
  c: CaseDetail;
  /** every report version, oldest first */
  reports: Report[];
  /** the requesting hospital's clock, which the page's times are shown on */
  timeZone: string;
  /** reads the whole case again after the panel changed it */
  onChanged: () => void;
}

/**
 * One case, for everyone who may see it: the technician follows it, the specialist reports (in the panel the app
 * puts in `reportPanel`), the administrator moves it on. Live: socket.io notifications about this case refresh it
 * without a reload.
 */
export function CasePage({
  reportPanel: ReportSlot,
}: {
  reportPanel?: ComponentType<ReportSlotProps>;
}): React.JSX.Element {
  const { caseId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const { message } = App.useApp();
  const found = useCase(caseId);
  const c = found.data;
  const ok = !!c;
  const history = useCaseHistory(caseId, ok);
  const comments = useCaseComments(caseId, ok);
  const reports = useCaseReports(caseId, ok);
  const changes = usePatientChanges(caseId, ok);
  const series = useStudySeries(c?.studyInstanceUid ?? null);
  const hospitals = useHospitals();
  const act = useCaseAction();
  const addComment = useAddComment(caseId);
  const [asking, setAsking] = useState<ListAction | null>(null);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const [commentForm] = Form.useForm<{ body: string }>();
  const [pdfBusy, setPdfBusy] = useState(false);
  const navigate = useNavigate();

  useRealtimeEvent('notification', (n) => {
    if (n.caseId === caseId) void client.invalidateQueries({ queryKey: caseKey(caseId) });
  });
  const refresh = useCallback((): void => {
    void client.invalidateQueries({ queryKey: caseKey(caseId) });
  }, [client, caseId]);
  useRealtimeReconnect(refresh);

  const zoneOf = useMemo(() => {
    const zones = new Map((hospitals.data ?? []).map((h) => [h.id, h.timeZone]));
    return (hospitalId: string): string => zones.get(hospitalId) ?? DEFAULT_TIME_ZONE;
  }, [hospitals.data]);

  if (found.error) {
    const notFound = found.error instanceof ApiError && found.error.status === 404;
    return (
      <Outcome
        status={notFound ? '404' : 'error'}
        title={<h2 className="result-title">{notFound ? t('casePage.notFound') : t('errors.unknown')}</h2>}
        subTitle={notFound ? t('casePage.notFoundDetail') : found.error.message}
        extra={<Link to="/cases">{t('casePage.back')}</Link>}
      />
    );
  }
  if (!c) {
    return (
      <div className="page-loading">
        <Spin />
        <Typography.Text>{t('casePage.loading')}</Typography.Text>
      </div>
    );
  }

  const user = session?.user;
  const zone = zoneOf(c.requestingHospitalId);
  const when = (iso: string | null): string => hospitalTime(iso, zone, i18n.language);
  const viewer = user
    ? { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId }
    : null;
  const offered = viewer ? availableCaseActions(viewer, c) : [];
  const mayComment = viewer ? permits(viewer, 'comment', c) : false;
  const mayConsult = viewer ? permits(viewer, 'join_consult', c) : false;
  const listActions = offered.filter((a): a is ListAction => (LIST_ACTIONS as readonly string[]).includes(a));
  const allReports = reports.data ?? [];
  const latest = allReports.at(-1);
  const earlier = allReports.slice(0, -1).reverse();
  const images = (series.data ?? []).reduce((sum, s) => sum + s.images, 0);

  const refused = (e: unknown): void => {
    // the api's own words: what is wrong and what to do
    void message.error(e instanceof ApiError ? e.message : t('errors.network'));
  };
  const run = async (action: ListAction, reason?: string): Promise<boolean> => {
    try {
      await act.mutateAsync({ action, id: c.id, ...(reason ? { reason } : {}) });
      await client.invalidateQueries({ queryKey: caseKey(c.id) });
      void message.success(t('cases.done', { action: t(`action.${action}`) }));
      return true;
    } catch (e) {
      refused(e);
      return false;
    }
  };
  const openPdf = async (download: boolean): Promise<void> => {
    setPdfBusy(true);
    try {
      const url = URL.createObjectURL(await reportPdf(c.id));
      if (download) {
        const a = document.createElement('a');
        a.href = url;
        a.download = `report-${c.id}.pdf`;
        a.click();
      } else {
        window.open(url, '_blank', 'noopener');
      }
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 60_000);
    } catch (e) {
      refused(e);
    } finally {
      setPdfBusy(false);
    }
  };

  return (
    <section aria-labelledby="case-title" className="case-page">
      <div className="page-head">
        <Space align="center" wrap>
          <Typography.Title level={2} id="case-title" className="case-title">
            <bdi lang="">{c.patient.name}</bdi>
          </Typography.Title>
          <Tag color={URGENCY_COLOR[c.urgency]}>{t(`urgency.${c.urgency}`)}</Tag>
          <Tag color="geekblue">{t(`state.${c.state}`)}</Tag>
        </Space>
        <Space>
          {c.studyInstanceUid && (
            <Button onClick={() => void navigate(`/cases/${c.id}/viewer`)}>{t('casePage.read')}</Button>
          )}
          {mayConsult && (
            <Button icon={<VideoCameraOutlined />} onClick={() => void navigate(consultPath(c.id))}>
              {t('casePage.consult')}
            </Button>
          )}
          <Link to="/cases">{t('casePage.back')}</Link>
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Space orientation="vertical" size={16} className="full-width">
            {c.criticalFinding && (
              <Suspense fallback={null}>
                <CriticalFindingBanner c={c} timeZone={zone} onChanged={refresh} />
              </Suspense>
            )}
            <Panel title={t('casePage.patient')} size="small">
              <Descriptions size="small" column={2} bordered>
                <Descriptions.Item label={t('casePage.patient')}>
                  <bdi lang="">{c.patient.name}</bdi>
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.mrn')}>{c.patient.mrn}</Descriptions.Item>
                <Descriptions.Item label={t('casePage.sex')}>{t(`sex.${c.patient.sex}`)}</Descriptions.Item>
                <Descriptions.Item label={t('casePage.birthDate')}>
                  {c.patient.birthDate ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.exam')}>
                  {[c.modality, c.bodyPart].filter(Boolean).join(' ') || '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.accession')}>
                  {c.accessionNumber ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.question')} span={2}>
                  <span className="pre-wrap">{c.clinicalQuestion}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.history')} span={2}>
                  <span className="pre-wrap">{c.clinicalHistory || '—'}</span>
                </Descriptions.Item>
              </Descriptions>
            </Panel>

            <Panel
              title={t('casePage.report')}
              size="small"
              extra={
                latest && (
                  <Space>
                    <Button size="small" loading={pdfBusy} onClick={() => void openPdf(false)}>
                      {t('casePage.printReport')}
                    </Button>
                    <Button size="small" disabled={pdfBusy} onClick={() => void openPdf(true)}>
                      {t('casePage.downloadReport')}
                    </Button>
                  </Space>
                )
              }
            >
              {latest ? (
                <>
                  <ReportView report={latest} timeZone={zone} />
                  {earlier.length > 0 && (
                    <Collapse
                      size="small"
                      items={[
                        {
                          key: 'earlier',
                          label: t('casePage.earlier', { count: earlier.length }),
                          children: earlier.map((r) => <ReportView key={r.id} report={r} timeZone={zone} />),
                        },
                      ]}
                    />
                  )}
                </>
              ) : (
                <Typography.Text type="secondary">{t('casePage.noReport')}</Typography.Text>
              )}
              {ReportSlot && <ReportSlot c={c} reports={allReports} timeZone={zone} onChanged={refresh} />}
            </Panel>
            {(c.imageQuality.length > 0 || c.secondOpinions.length > 0) && (
              <Suspense fallback={null}>
                <ReadingFeedback c={c} timeZone={zone} onChanged={refresh} />
              </Suspense>
            )}

            <Panel title={t('casePage.comments')} size="small">
              {(comments.data ?? []).length === 0 ? (
                <Typography.Text type="secondary">{t('casePage.noComments')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  aria-label={t('casePage.comments')}
                  dataSource={comments.data}
                  renderItem={(m) => (
                    <List.Item key={m.id}>
                      <div className="comment">
                        <Typography.Text strong>{m.authorName}</Typography.Text>{' '}
                        <Typography.Text type="secondary">
                          {t(`roles.${m.authorRole}`, { defaultValue: m.authorRole })} · {when(m.createdAt)}
                        </Typography.Text>
                        <Typography.Paragraph className="pre-wrap comment-body">
                          {m.body}
                        </Typography.Paragraph>
                      </div>
                    </List.Item>
                  )}
                />
              )}
              {mayComment && (
                <Form
                  form={commentForm}
                  className="comment-form"
                  onFinish={(values) => {
                    addComment.mutate(values.body.trim(), {
                      onSuccess: () => {
                        commentForm.resetFields();
                      },
                      onError: refused,
                    });
                  }}
                >
                  <Form.Item
                    name="body"
                    label={t('casePage.comment')}
                    rules={[{ required: true, whitespace: true, message: t('casePage.commentRequired') }]}
                  >
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={addComment.isPending}>
                    {t('casePage.send')}
                  </Button>
                </Form>
              )}
            </Panel>
          </Space>
        </Col>

        <Col xs={24} lg={9}>
          <Space orientation="vertical" size={16} className="full-width">
            <Panel size="small" title={t('casePage.state')}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('casePage.state')}>{t(`state.${c.state}`)}</Descriptions.Item>
                <Descriptions.Item label={t('casePage.sla')}>
                  <SlaClock c={c} timeZone={zone} />
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.specialist')}>
                  {c.assignedSpecialistName ?? (
                    <Typography.Text type="secondary">{t('casePage.unassigned')}</Typography.Text>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.from')}>{c.requestingHospitalName}</Descriptions.Item>
                <Descriptions.Item label={t('casePage.department')}>
                  {c.requestingDepartmentName}
                </Descriptions.Item>
                <Descriptions.Item label={t('casePage.created')}>{when(c.createdAt)}</Descriptions.Item>
              </Descriptions>
              <div className="case-actions">
                {listActions.length === 0 ? (
                  <Typography.Text type="secondary">{t('casePage.noActions')}</Typography.Text>
                ) : (
                  <Space wrap>
                    {listActions.map((action) => (
                      <Button
                        key={action}
                        danger={action === 'cancel'}
                        type={action === 'submit' || action === 'claim' ? 'primary' : 'default'}
                        loading={act.isPending && act.variables.action === action}
                        onClick={() => {
                          if (NEEDS_REASON.has(action)) setAsking(action);
                          else void run(action);
                        }}
                      >
                        {t(`action.${action}`)}
                      </Button>
                    ))}
                  </Space>
                )}
              </div>
            </Panel>

            <Panel size="small" title={t('casePage.study')}>
              {!c.studyInstanceUid ? (
                <Typography.Text type="secondary">{t('casePage.noStudy')}</Typography.Text>
              ) : series.error ? (
                <Alert
                  type="error"
                  showIcon
                  title={series.error instanceof ApiError ? series.error.message : t('errors.network')}
                />
              ) : (series.data ?? []).length === 0 ? (
                <Typography.Text type="secondary">
                  {series.isLoading ? t('casePage.loading') : t('casePage.studyWaiting')}
                </Typography.Text>
              ) : (
                <>
                  <Typography.Paragraph>
                    {t('casePage.seriesCount', { series: series.data?.length ?? 0, images })}
                  </Typography.Paragraph>
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="uid"
                    dataSource={series.data}
                    columns={[
                      { title: '#', dataIndex: 'number', key: 'n', width: 48 },
                      {
                        title: t('casePage.series'),
                        key: 'd',
                        render: (_, s) => [s.modality, s.description].filter(Boolean).join(' '),
                      },
                      { title: t('casePage.images'), dataIndex: 'images', key: 'i', width: 72 },
                    ]}
                  />
                </>
              )}
            </Panel>

            <Panel size="small" title={t('casePage.events')}>
              {(history.data ?? []).length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <Timeline
                  items={(history.data ?? []).map((e) => ({
                    key: e.id,
                    children: (
                      <div>
                        <Typography.Text strong>
                          {t(`casePage.event.${e.action}`, { defaultValue: e.action })}
                        </Typography.Text>{' '}
                        <Typography.Text type="secondary">
                          {e.actorName ?? t('casePage.system')} · {when(e.at)}
                        </Typography.Text>
                        {e.reason && <div className="event-reason">{e.reason}</div>}
                      </div>
                    ),
                  }))}
                />
              )}
            </Panel>

            {(changes.data ?? []).length > 0 && (
              <Panel size="small" title={t('casePage.changes')}>
                <List
                  size="small"
                  dataSource={changes.data}
                  renderItem={(ch) => (
                    <List.Item key={ch.id}>
                      <div>
                        {(['name', 'sex', 'birthDate'] as const)
                          .filter((k) => ch.after[k] !== undefined)
                          .map((k) => (
                            <div key={k}>
                              {t(`casePage.${k === 'name' ? 'patient' : k}`)}:{' '}
                              <bdi lang="">
                                {k === 'sex' && ch.before.sex
                                  ? t(`sex.${ch.before.sex}`)
                                  : (ch.before[k] ?? '—')}
                              </bdi>
                              {' → '}
                              <bdi lang="">
                                {k === 'sex' && ch.after.sex
                                  ? t(`sex.${ch.after.sex}`)
                                  : (ch.after[k] ?? '—')}
                              </bdi>
                            </div>
                          ))}
                        <Typography.Text type="secondary">
                          {t('casePage.changed', {
                            name: ch.changedByName ?? t('casePage.system'),
                            time: when(ch.changedAt),
                          })}
                        </Typography.Text>
                      </div>
                    </List.Item>
                  )}
                />
              </Panel>
            )}
          </Space>
        </Col>
      </Row>

      <Modal
        open={asking !== null}
        title={asking ? t(`action.${asking}`) : ''}
        okText={t('casePage.confirm')}
        cancelText={t('casePage.cancel')}
        confirmLoading={act.isPending}
        onCancel={() => {
          setAsking(null);
        }}
        onOk={() => {
          void reasonForm.validateFields().then(async ({ reason }) => {
            if (asking && (await run(asking, reason))) {
              setAsking(null);
              reasonForm.resetFields();
            }
          });
        }}
        destroyOnHidden
      >
        <Form form={reasonForm} layout="vertical">
          <Form.Item
            name="reason"
            label={t('casePage.reason')}
            rules={[{ required: true, whitespace: true, message: t('casePage.reasonRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
