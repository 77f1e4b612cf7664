import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../lib/i18n';

/** 中文 / English: two buttons, the current one pressed (lighter than a drop-down on the sign-in page). */
export function LanguageSwitch({ dark = false }: { dark?: boolean }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const current = i18n.language === 'en' ? 'en' : 'zh';
  return (
    <div
      role="group"
      aria-label={t('nav.language')}
      className={dark ? 'language-switch dark' : 'language-switch'}
    >
      {LANGUAGES.map((l) => (
        <Button
          key={l.code}
          size="small"
          type={l.code === current ? 'primary' : 'text'}
          aria-pressed={l.code === current}
          lang={l.code === 'zh' ? 'zh-CN' : l.code}
          onClick={() => {
            setLanguage(l.code);
          }}
        >
          {l.label}
        </Button>
      ))}
    </div>
  );
}
