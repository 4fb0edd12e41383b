import { plainText } from '../../../shared/reports/summaryFiles';

// The summary's file formats live in shared/ so the county console writes the same files in the browser.
export { docxBytes, DOCX_MIME, TXT_MIME } from '../../../shared/reports/summaryFiles';

export function txtBytes(title: string, paragraphs: readonly string[]): Uint8Array {
  return new TextEncoder().encode(plainText(title, paragraphs));
}
