import { App as AntApp, Button, ConfigProvider, Layout, Menu, Space, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useCallback, useEffect, useState } from 'react';
import { can, COUNTY_ROLE_LABELS, type Permission, type SessionInfo } from '../../services/console/model';
import { api, onSessionLost, setCsrfToken } from './api';
import { AuditPage } from './pages/AuditPage';
import { CasePage } from './pages/CasePage';
import { ChecksPage } from './pages/ChecksPage';
import { DuplicatesPage } from './pages/DuplicatesPage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { ReportsPage } from './pages/ReportsPage';
import { StaffPage } from './pages/StaffPage';
import { StandardsPage } from './pages/StandardsPage';
import { StationsPage } from './pages/StationsPage';

dayjs.locale('zh-cn');

interface Route {
  page: string;
  id?: string;
}

function parseHash(): Route {
  const [page = 'inbox', id] = window.location.hash.replace(/^#\/?/, '').split('/');
  return id ? { page, id } : { page: page || 'inbox' };
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}

/** `permission: null`: every signed-in county officer (the figures carry no personal data; lists are masked). */
const MENU: { key: string; label: string; permission: Permission | null }[] = [
  { key: 'inbox', label: '待审批案件', permission: 'viewCases' },
  { key: 'checks', label: '经济状况核对', permission: 'viewCases' },
  { key: 'duplicates', label: '重复救助核查', permission: 'viewDuplicates' },
  { key: 'reports', label: '统计报表', permission: null },
  { key: 'standards', label: '保障标准', permission: 'editStandards' },
  { key: 'stations', label: '工作站管理', permission: 'manageStations' },
  { key: 'staff', label: '账号管理', permission: 'manageStaff' },
  { key: 'audit', label: '审计日志', permission: 'viewAudit' },
];

function Shell() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(parseHash);

  const signedIn = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    setSession(s);
  }, []);

  useEffect(() => {
    onSessionLost(() => signedIn(null));
    api<SessionInfo>('GET', '/session').then(signedIn, () => signedIn(null));
    const onHash = () => setRoute(parseHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [signedIn]);

  if (session === undefined) return <Spin fullscreen />;
  if (session === null) return <LoginPage onSignedIn={signedIn} />;

  const roles = session.staff.roles;
  const menu = MENU.filter((m) => m.permission === null || can(roles, m.permission));
  const current = route.page === 'case' ? 'inbox' : route.page;
  const allowed = menu.some((m) => m.key === current) ? current : (menu[0]?.key ?? '');
  const signOut = async () => {
    await api('POST', '/logout').catch(() => undefined);
    signedIn(null);
  };

  let content: React.ReactNode;
  if (route.page === 'case' && route.id && can(roles, 'viewCases')) content = <CasePage caseId={route.id} roles={roles} />;
  else if (allowed === 'inbox') content = <InboxPage />;
  else if (allowed === 'checks') content = <ChecksPage roles={roles} />;
  else if (allowed === 'duplicates') content = <DuplicatesPage />;
  else if (allowed === 'reports') content = <ReportsPage />;
  else if (allowed === 'standards') content = <StandardsPage />;
  else if (allowed === 'stations') content = <StationsPage />;
  else if (allowed === 'staff') content = <StaffPage selfId={session.staff.id} />;
  else if (allowed === 'audit') content = <AuditPage />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          县民政局 · 救助审批控制台
        </Typography.Title>
        <Space style={{ color: '#fff' }}>
          <span data-testid="signed-in-as">
            {session.staff.displayName}（{roles.map((r) => COUNTY_ROLE_LABELS[r]).join('、')}）
          </span>
          <Button size="small" onClick={signOut}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu mode="inline" selectedKeys={[allowed]} items={menu.map((m) => ({ key: m.key, label: m.label }))} onClick={(e) => navigate(e.key)} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>{content}</Layout.Content>
      </Layout>
    </Layout>
  );
}

export function App() {
  return (
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
