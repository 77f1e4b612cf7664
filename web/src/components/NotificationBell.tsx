import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { consultPath, type Notification } from '@telemed/contracts';
import { App, Badge, Button, List, Popover, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../lib/api-client';
import { useRealtimeEvent, useRealtimeReconnect } from '../lib/realtime';
import './notification-messages';

const KEY = ['notifications'];

function BellIcon(): React.JSX.Element {
  return (
    <svg
      className="bell-icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}

/** How long ago, as people say it: 3 分钟前 / 3 minutes ago (no clock, so no time zone to get wrong). */
function ago(iso: string, language: string): string {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(language === 'en' ? 'en' : 'zh-CN', { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** The bell in the header: the user's notifications, live over socket.io, each opening its case. */
export function NotificationBell(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const { notification: toast } = App.useApp();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => api<Notification[]>('GET', '/api/notifications?limit=30'),
    refetchInterval: 120_000,
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api<Notification>('POST', `/api/notifications/${id}/read`),
    onSuccess: (read) => {
      client.setQueryData<Notification[]>(KEY, (old) =>
        (old ?? []).map((n) => (n.id === read.id ? read : n)),
      );
    },
  });

  useRealtimeEvent('notification', (n) => {
    // delivered at least once: kept by id
    client.setQueryData<Notification[]>(KEY, (old) => [n, ...(old ?? []).filter((o) => o.id !== n.id)]);
    if (n.page) toast.warning({ title: n.title, description: n.body, placement: 'topRight' });
  });
  useRealtimeReconnect(() => {
    void client.invalidateQueries({ queryKey: KEY });
  });

  const items = list.data ?? [];
  const unread = items.filter((n) => !n.readAt);
  const content = (
    <div className="notification-list">
      {list.error ? (
        <Typography.Text type="danger">{t('notifications.failed')}</Typography.Text>
      ) : (
        <List
          size="small"
          locale={{ emptyText: t('notifications.empty') }}
          dataSource={items}
          renderItem={(n) => (
            <List.Item key={n.id} className={`notification-item${n.readAt ? '' : ' unread'}`}>
              <div>
                {n.caseId ? (
                  <Link
                    to={n.kind === 'consult.invited' ? consultPath(n.caseId) : `/cases/${n.caseId}`}
                    className="notification-title"
                    onClick={() => {
                      setOpen(false);
                      if (!n.readAt) markRead.mutate(n.id);
                    }}
                  >
                    {n.title}
                  </Link>
                ) : (
                  <Typography.Text className="notification-title">{n.title}</Typography.Text>
                )}
                {!n.readAt && (
                  <Tag color="#1f6f8b" className="unread-mark">
                    {t('notifications.unread')}
                  </Tag>
                )}
                <div>
                  <Typography.Text type="secondary">
                    {n.body ? `${n.body} · ` : ''}
                    {ago(n.createdAt, i18n.language)}
                  </Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={
        <div className="page-head">
          <span>{t('notifications.title')}</span>
          {unread.length > 0 && (
            <Button
              size="small"
              type="link"
              onClick={() => {
                for (const n of unread) markRead.mutate(n.id);
              }}
            >
              {t('notifications.markAll')}
            </Button>
          )}
        </div>
      }
      content={content}
    >
      <Button
        type="text"
        className="notification-bell"
        aria-label={
          unread.length ? t('notifications.labelUnread', { count: unread.length }) : t('notifications.label')
        }
        icon={
          <Badge count={unread.length} size="small" overflowCount={99}>
            <BellIcon />
          </Badge>
        }
      />
    </Popover>
  );
}
