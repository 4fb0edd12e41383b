import { Result, Spin } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { startSessionUpdates, useSession } from '../../stores/session';
import { AppLayout } from '../../layout/AppLayout';
import { FirstRunPage } from './FirstRunPage';
import { LockScreen } from './LockScreen';
import { SignInPage } from './SignInPage';

/** Shows the first-run, sign-in or lock screen instead of the app until a staff member is signed in and unlocked. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { auth, error } = useSession();
  useEffect(() => startSessionUpdates(), []);
  if (!auth) {
    return error ? (
      <Result status="error" title="无法连接工作站服务" subTitle={error} />
    ) : (
      <Spin size="large" style={{ display: 'block', marginTop: 120 }} />
    );
  }
  if (auth.setupNeeded) {
    return (
      <AppLayout>
        <FirstRunPage />
      </AppLayout>
    );
  }
  if (!auth.staff) return <SignInPage />;
  // Locked: the app stays mounted (a half-filled form survives the lock) but is hidden and unreachable until unlock.
  return (
    <>
      <div inert={auth.locked} aria-hidden={auth.locked} style={auth.locked ? { display: 'none' } : undefined}>
        {children}
      </div>
      {auth.locked ? <LockScreen /> : null}
    </>
  );
}
