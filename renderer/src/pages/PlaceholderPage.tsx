import { Empty } from 'antd';

export function PlaceholderPage({ title }: { title: string }) {
  return <Empty description={`${title}：功能建设中`} />;
}
