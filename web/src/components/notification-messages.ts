import { addMessages, type Translation } from '../lib/i18n';

const zh = {
  label: '通知',
  labelUnread: '通知，{{count}} 条未读',
  title: '通知',
  empty: '暂无通知',
  markAll: '全部标为已读',
  unread: '未读',
  failed: '通知载入失败',
};

const en: Translation<typeof zh> = {
  label: 'Notifications',
  labelUnread: 'Notifications, {{count}} unread',
  title: 'Notifications',
  empty: 'No notifications',
  markAll: 'Mark all read',
  unread: 'unread',
  failed: 'Notifications could not be loaded',
};

addMessages('notifications', { zh, en });
