import {
  AudioMutedOutlined,
  AudioOutlined,
  DesktopOutlined,
  PhoneOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Alert, Badge, Button, Form, Input, List, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Outcome } from '../../components/Outcome';
import { holdActive } from '../../lib/activity';
import { ConsultClient, type ConsultState, type RemotePeer } from './consult-client';
import './consult-messages';
import { SharedReading } from './SharedReading';
import './consult.css';

/** A video (or the tile's placeholder when there is none), never mirrored except one's own camera. */
function Video({
  track,
  label,
  mirrored = false,
}: {
  track: MediaStreamTrack | null;
  label: string;
  mirrored?: boolean;
}): React.JSX.Element | null {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);
  if (!track) return null;
  return (
    <video
      ref={ref}
      className={mirrored ? 'consult-video consult-mirrored' : 'consult-video'}
      autoPlay
      playsInline
      muted
      aria-label={label}
    />
  );
}

/** A remote voice: played, never shown. */
function Voice({ track }: { track: MediaStreamTrack | null }): React.JSX.Element | null {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);
  return track ? <audio ref={ref} autoPlay /> : null;
}

function PeerTile({ peer, state }: { peer: RemotePeer; state: ConsultState }): React.JSX.Element {
  const { t } = useTranslation();
  const speaking = state.activeSpeakerPeerId === peer.peerId;
  return (
    <figure className={speaking ? 'consult-tile consult-speaking' : 'consult-tile'}>
      <Video track={peer.camera} label={peer.displayName} />
      {!peer.camera && <div className="consult-novideo">{t('consult.noVideo')}</div>}
      <Voice track={peer.audio} />
      <figcaption>
        <bdi>{peer.displayName}</bdi> · {peer.hospitalName}
        {state.presenterPeerId === peer.peerId && <Tag className="consult-tag">{t('consult.presenter')}</Tag>}
        {peer.audioPaused && (
          <AudioMutedOutlined aria-label={t('consult.muted')} className="consult-muted-icon" />
        )}
      </figcaption>
    </figure>
  );
}

/** The devices of one kind the browser lists (labels appear once a permission was given). */
function useDevices(kind: MediaDeviceKind): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const load = (): void => {
      void navigator.mediaDevices.enumerateDevices().then((all) => {
        setDevices(all.filter((d) => d.kind === kind && d.deviceId));
      });
    };
    load();
    navigator.mediaDevices.addEventListener('devicechange', load);
    return () => {
      navigator.mediaDevices.removeEventListener('devicechange', load);
    };
  }, [kind]);
  return devices;
}

/**
 * `/cases/{id}/consult`: the case's video consult. Both sides see and hear each other, chat, share a screen; the one
 * presenting drives the case's images on every side.
 */
export function ConsultPage(): React.JSX.Element {
  const { caseId = '' } = useParams();
  const { t } = useTranslation();
  const [client, setClient] = useState<ConsultClient | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [deviceProblem, setDeviceProblem] = useState<string | null>(null);

  useEffect(() => {
    const c = new ConsultClient(caseId);
    setClient(c);
    // a call is activity: the idle sign-out waits while it lasts
    const release = holdActive();
    void c.useMicrophone().catch(() => {
      setDeviceProblem(t('consult.noDevice', { what: t('consult.microphone') }));
    });
    void c.useCamera().catch(() => {
      setDeviceProblem(t('consult.noDevice', { what: t('consult.camera') }));
    });
    return () => {
      release();
      void c.leave();
    };
  }, [caseId, attempt, t]);

  if (!client) return <div className="consult-page" />;
  return (
    <Call
      client={client}
      caseId={caseId}
      deviceProblem={deviceProblem}
      onRejoin={() => {
        setAttempt((n) => n + 1);
      }}
    />
  );
}

function Call({
  client,
  caseId,
  deviceProblem,
  onRejoin,
}: {
  client: ConsultClient;
  caseId: string;
  deviceProblem: string | null;
  onRejoin: () => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const state = useSyncExternalStore(client.subscribe, client.getState);
  const microphones = useDevices('audioinput');
  const cameras = useDevices('videoinput');
  const [form] = Form.useForm<{ text?: string }>();
  const chatEnd = useRef<HTMLLIElement>(null);
  useEffect(() => {
    chatEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [state.chat.length]);

  if (state.phase === 'refused')
    return (
      <Outcome
        status="warning"
        title={t('consult.refused')}
        subTitle={state.problem ?? ''}
        extra={<Link to={`/cases/${caseId}`}>{t('consult.backToCase')}</Link>}
      />
    );
  if (state.phase === 'left')
    return (
      <Outcome
        status="success"
        title={t('consult.left')}
        extra={
          <Space>
            <Button type="primary" onClick={onRejoin}>
              {t('consult.rejoin')}
            </Button>
            <Link to={`/cases/${caseId}`}>{t('consult.backToCase')}</Link>
          </Space>
        }
      />
    );

  const self = state.self;
  const presenting = self !== null && state.presenterPeerId === self.peerId;
  const everyone = self ? [self, ...state.peers] : state.peers;
  const status = state.phase === 'joined' ? t(`consult.link.${state.link}`) : t(`consult.${state.phase}`);

  return (
    <section className="consult-page" aria-labelledby="consult-title">
      <header className="consult-head">
        <Typography.Title level={2} id="consult-title" className="consult-title">
          {t('consult.title')}
        </Typography.Title>
        <Badge
          status={state.phase === 'joined' && state.link === 'connected' ? 'success' : 'processing'}
          text={<span role="status">{status}</span>}
        />
        <Link to={`/cases/${caseId}`} className="consult-back">
          {t('consult.backToCase')}
        </Link>
      </header>
      {deviceProblem && <Alert type="warning" showIcon title={deviceProblem} className="consult-alert" />}
      {state.phase === 'reconnecting' && state.problem && (
        <Alert type="info" showIcon title={state.problem} className="consult-alert" />
      )}
      <div className="consult-body">
        <main className="consult-stage" aria-label={t('consult.title')}>
          {state.peers.length === 0 && <p className="consult-waiting">{t('consult.waiting')}</p>}
          <div className="consult-grid">
            {state.peers.map((p) => (
              <PeerTile key={p.peerId} peer={p} state={state} />
            ))}
            {state.peers
              .filter((p) => p.screen)
              .map((p) => (
                <figure key={`${p.peerId}-screen`} className="consult-tile consult-screen">
                  <Video track={p.screen} label={t('consult.screenOf', { name: p.displayName })} />
                  <figcaption>{t('consult.screenOf', { name: p.displayName })}</figcaption>
                </figure>
              ))}
          </div>
          <figure className="consult-self">
            <Video track={state.camera.track} label={t('consult.you')} mirrored />
            {!state.camera.track && <div className="consult-novideo">{t('consult.noVideo')}</div>}
            <figcaption>
              {t('consult.you')}
              {presenting && <Tag className="consult-tag">{t('consult.presenter')}</Tag>}
            </figcaption>
          </figure>
        </main>
        <aside className="consult-side">
          <section aria-labelledby="consult-people">
            <Typography.Title level={3} id="consult-people" className="consult-side-title">
              {t('consult.participants', { count: everyone.length })}
            </Typography.Title>
            <List
              size="small"
              dataSource={everyone}
              renderItem={(p) => (
                <List.Item
                  actions={
                    presenting && p.peerId !== self.peerId
                      ? [
                          <Button key="hand" size="small" onClick={() => void client.handOver(p.peerId)}>
                            {t('consult.handOver')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <span>
                    <bdi>{p.displayName}</bdi>
                    {p.peerId === self?.peerId ? `（${t('consult.you')}）` : ''}
                    <Typography.Text type="secondary"> {t(`consult.role.${p.role}`)}</Typography.Text>
                    {state.presenterPeerId === p.peerId && (
                      <Tag className="consult-tag">{t('consult.presenter')}</Tag>
                    )}
                    {state.activeSpeakerPeerId === p.peerId && (
                      <Tag color="#2f6b1f" className="consult-tag">
                        {t('consult.speaking')}
                      </Tag>
                    )}
                  </span>
                </List.Item>
              )}
            />
          </section>
          <section aria-labelledby="consult-chat" className="consult-chat">
            <Typography.Title level={3} id="consult-chat" className="consult-side-title">
              {t('consult.chat')}
            </Typography.Title>
            <ol className="consult-lines" aria-live="polite">
              {state.chat.length === 0 && <li className="consult-empty">{t('consult.chatEmpty')}</li>}
              {state.chat.map((line) => (
                <li key={line.id}>
                  <strong>
                    <bdi>{line.displayName}</bdi>
                  </strong>
                  ：<bdi>{line.text}</bdi>
                </li>
              ))}
              <li ref={chatEnd} aria-hidden className="consult-end" />
            </ol>
            <Form
              form={form}
              layout="inline"
              className="consult-chat-form"
              onFinish={({ text }) => {
                if (!text?.trim()) return;
                void client.sendChat(text).then(() => {
                  form.resetFields();
                });
              }}
            >
              <Form.Item name="text" label={t('consult.message')} className="consult-chat-input">
                <Input maxLength={2000} autoComplete="off" />
              </Form.Item>
              <Button htmlType="submit">{t('consult.send')}</Button>
            </Form>
          </section>
        </aside>
      </div>
      <SharedReading client={client} state={state} caseId={caseId} />
      <footer className="consult-controls" aria-label={t('consult.devices')}>
        <Space wrap>
          <Tooltip title={state.microphone.muted ? t('consult.unmute') : t('consult.mute')}>
            <Button
              shape="round"
              size="large"
              icon={state.microphone.muted ? <AudioMutedOutlined /> : <AudioOutlined />}
              aria-pressed={state.microphone.muted}
              onClick={() => void client.setMuted(!state.microphone.muted)}
            >
              {t('consult.mute')}
            </Button>
          </Tooltip>
          <Button
            shape="round"
            size="large"
            icon={<VideoCameraOutlined />}
            aria-pressed={state.camera.off}
            onClick={() => void client.setCameraOff(!state.camera.off)}
          >
            {state.camera.off ? t('consult.cameraOn') : t('consult.cameraOff')}
          </Button>
          <Button
            shape="round"
            size="large"
            icon={<DesktopOutlined />}
            aria-pressed={state.screen !== null}
            onClick={() => void client.shareScreen(state.screen === null).catch(() => undefined)}
          >
            {state.screen ? t('consult.stopSharing') : t('consult.shareScreen')}
          </Button>
          <label className="consult-device">
            {t('consult.microphone')}
            <Select
              className="consult-device-select"
              value={state.microphone.track?.getSettings().deviceId ?? null}
              aria-label={t('consult.microphone')}
              options={microphones.map((d, i) => ({
                value: d.deviceId,
                label: d.label || `${t('consult.microphone')} ${i + 1}`,
              }))}
              onChange={(id: string) => void client.useMicrophone(id)}
            />
          </label>
          <label className="consult-device">
            {t('consult.camera')}
            <Select
              className="consult-device-select"
              value={state.camera.track?.getSettings().deviceId ?? null}
              aria-label={t('consult.camera')}
              options={cameras.map((d, i) => ({
                value: d.deviceId,
                label: d.label || `${t('consult.camera')} ${i + 1}`,
              }))}
              onChange={(id: string) => void client.useCamera(id)}
            />
          </label>
          <Button
            danger
            type="primary"
            shape="round"
            size="large"
            icon={<PhoneOutlined rotate={135} />}
            onClick={() => void client.leave()}
          >
            {t('consult.leave')}
          </Button>
        </Space>
      </footer>
    </section>
  );
}
