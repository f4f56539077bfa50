// The renderer's Content-Security-Policy, one definition for the desktop window and the headless bridge.

/** `connect` adds sources to connect-src (the bridge's WebSocket origin); `devInline` allows the dev server's preamble. */
export function rendererCsp(opts: { connect?: string; devInline?: boolean } = {}): string {
  const inline = opts.devInline ? " 'unsafe-inline'" : '';
  return [
    "default-src 'self'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data: blob:",
    `connect-src 'self'${opts.connect ? ` ${opts.connect}` : ''}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
