import { Button, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  activityHeld,
  IDLE_LIMIT_MS,
  IDLE_WARNING_MS,
  lastActivity,
  markIdleSignOut,
  touchActivity,
  watchActivity,
} from '../lib/activity';
import { signOut } from '../lib/api-client';

/** Warns a minute before the idle limit and then signs out, saying why on the sign-in page. */
export function IdleGuard(): React.JSX.Element | null {
  const { t } = useTranslation();
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);

  useEffect(() => {
    const stop = watchActivity();
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (activityHeld()) touchActivity(now);
      const left = lastActivity() + IDLE_LIMIT_MS - now;
      if (left <= 0) {
        window.clearInterval(timer);
        // the session's end sends every screen to sign-in, which says why
        markIdleSignOut();
        void signOut();
        return;
      }
      setSecondsLeft(left <= IDLE_WARNING_MS ? Math.ceil(left / 1000) : null);
    }, 1000);
    return () => {
      stop();
      window.clearInterval(timer);
    };
  }, []);

  if (secondsLeft === null) return null;
  return (
    <Modal
      open
      title={t('idle.stay')}
      closable={false}
      footer={
        <Button
          type="primary"
          autoFocus
          onClick={() => {
            touchActivity(Date.now() + 5_000);
          }}
        >
          {t('idle.stay')}
        </Button>
      }
    >
      {t('idle.warning', { minutes: IDLE_LIMIT_MS / 60_000, seconds: secondsLeft })}
    </Modal>
  );
}
