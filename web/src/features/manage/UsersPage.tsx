import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Placeholder until this screen is built. */
export function UsersPage(): React.JSX.Element {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('nav.users')}</Typography.Title>;
}
