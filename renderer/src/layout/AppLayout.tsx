import { Layout, Menu, Typography } from 'antd';
import type { ReactNode } from 'react';
import { PAGES, useNav, type PageKey } from '../stores/nav';
import { StatusBar } from './StatusBar';

export function AppLayout({ children }: { children: ReactNode }) {
  const { page, go } = useNav();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <Typography.Title level={4} className="app-title">
          乡镇民政一门受理工作站
        </Typography.Title>
        <Menu
          mode="horizontal"
          theme="dark"
          selectedKeys={[page]}
          onClick={(e) => go(e.key as PageKey)}
          items={PAGES.map((p) => ({ key: p.key, label: p.label }))}
          style={{ flex: 1, minWidth: 0 }}
          aria-label="主导航"
        />
      </Layout.Header>
      <Layout.Content className="app-content">{children}</Layout.Content>
      <Layout.Footer className="app-footer">
        <StatusBar />
      </Layout.Footer>
    </Layout>
  );
}
