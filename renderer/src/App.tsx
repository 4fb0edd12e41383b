import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { AppLayout } from './layout/AppLayout';
import { PAGES, useNav } from './stores/nav';
import { startStatusUpdates } from './stores/status';
import { SettingsPage } from './pages/SettingsPage';
import { PlaceholderPage } from './pages/PlaceholderPage';

dayjs.locale('zh-cn');

function CurrentPage() {
  const page = useNav((s) => s.page);
  switch (page) {
    case 'settings':
      return <SettingsPage />;
    default:
      return <PlaceholderPage title={PAGES.find((p) => p.key === page)?.label ?? ''} />;
  }
}

export function App() {
  useEffect(() => startStatusUpdates(), []);
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { fontSize: 15 } }}>
      <AntApp>
        <AppLayout>
          <CurrentPage />
        </AppLayout>
      </AntApp>
    </ConfigProvider>
  );
}
