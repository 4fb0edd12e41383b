import type { ReactNode } from 'react';

/** Centred full-window frame for the sign-in, first-run and lock screens. */
export function AuthScreen({ children }: { children: ReactNode }) {
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'flex-start',
        justifyContent: 'center',
        padding: '48px 16px',
        background: '#f0f2f5',
        boxSizing: 'border-box',
      }}
    >
      {children}
    </div>
  );
}
