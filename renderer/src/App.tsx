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
import { IntakePage } from './pages/intake/IntakePage';
import { CasesPage } from './pages/cases/CasesPage';
import { AuthGate } from './pages/auth/AuthGate';
import { SessionBar } from './pages/auth/SessionBar';
import { StaffPanel } from './pages/auth/StaffPanel';
import { PeoplePage } from './pages/people/PeoplePage';
import { StatsPage } from './pages/stats/StatsPage';
import { useStaff } from './stores/session';
import { SyncPage } from './pages/sync/SyncPage';

dayjs.locale('zh-cn');

function CurrentPage() {
  const page = useNav((s) => s.page);
  const staff = useStaff();
  switch (page) {
    case 'settings':
      return <><SettingsPage />{staff?.role === 'admin' ? <StaffPanel /> : null}</>;
    case 'people':
      return <PeoplePage />;
    case 'intake':
      return <IntakePage />;
    case 'cases':
      return <CasesPage />;
    case 'stats':
      return <StatsPage />;
    case 'sync':
      return <SyncPage />;
    default:
      return <PlaceholderPage title={PAGES.find((p) => p.key === page)?.label ?? ''} />;
  }
}

export function App() {
  useEffect(() => startStatusUpdates(), []);
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { fontSize: 15 } }}>
      <AntApp>
        <AuthGate>
          <AppLayout>
            <SessionBar />
            <CurrentPage />
          </AppLayout>
        </AuthGate>
      </AntApp>
    </ConfigProvider>
  );
}
