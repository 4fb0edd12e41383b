/** Everything that lands in a printed page passes through here: names and notes are typed by people. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Fonts for paper: the system's CJK serif first (Noto/Source Han on domestic Linux and the test machine, SimSun on
 * Windows), so that Chromium's PDF embeds real Chinese glyphs instead of boxes. No web font: stations are offline
 * and the CSP allows fonts only from the app itself.
 */
export const PRINT_FONT_STACK =
  "'Noto Serif CJK SC', 'Source Han Serif SC', 'SimSun', 'Songti SC', 'Noto Sans CJK SC', 'Microsoft YaHei', serif";

export function printDocument(title: string, body: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: ${PRINT_FONT_STACK}; font-size: 12pt; color: #000; margin: 0; line-height: 1.6; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; letter-spacing: 2px; }
.sub { text-align: center; margin-bottom: 6mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2mm 3mm; text-align: left; vertical-align: top; }
th { white-space: nowrap; font-weight: bold; }
.muted { color: #333; font-size: 10.5pt; }
.sign { margin-top: 10mm; display: flex; justify-content: space-between; }
${extraCss}
</style></head>
<body>${body}</body></html>`;
}
