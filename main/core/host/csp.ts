/**
 * One Content-Security-Policy for every way the renderer is served (Electron's app:// protocol, the browser host).
 * style-src needs 'unsafe-inline' because antd's CSS-in-JS injects <style> elements at run time; scripts stay
 * 'self' only, which is what stops injected markup from running code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'self' blob:",
].join('; ');
