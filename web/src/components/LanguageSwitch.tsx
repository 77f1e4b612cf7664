import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type LanguageCode } from '../lib/i18n';

/** 中文 / English. */
export function LanguageSwitch(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  return (
    <Select<LanguageCode>
      aria-label={t('nav.language')}
      value={i18n.language === 'en' ? 'en' : 'zh'}
      onChange={setLanguage}
      options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      style={{ width: 110 }}
    />
  );
}
