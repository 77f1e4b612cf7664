import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { directionOf } from '../lib/i18n';
import { router } from './routes';

// Contrast for old, dim monitors in county hospitals: every text meets WCAG AA (4.5:1) on its background.
const THEME = {
  token: {
    colorPrimary: '#1f6f8b',
    // hover and pressed darken rather than lighten, so white text keeps its contrast under the pointer
    colorPrimaryHover: '#185a72',
    colorPrimaryActive: '#134a5e',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorLink: '#1f6f8b',
    colorError: '#cf1322',
  },
};

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 5_000 } },
});

/** Providers: server state, Ant Design in the user's language, the routes. */
export function App(): React.JSX.Element {
  const { i18n } = useTranslation();
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={i18n.language === 'en' ? enUS : zhCN}
        direction={directionOf(i18n.language)}
        theme={THEME}
        button={{ autoInsertSpace: false }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
