import { App as AntApp } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { uuidv7 } from 'uuidv7';
import type { ExportSpec } from '../../../../shared/ipc/calls/reports';
import { call, onStationEvent } from '../../api/client';

export interface ExportProgress {
  jobId: string;
  label: string;
  phase: string;
  done: number;
  total: number;
}

/** Saves a file the core produced (base64) through the browser's download, which Electron turns into a save dialog. */
export function saveFile(fileName: string, mime: string, dataBase64: string): void {
  const bytes = Uint8Array.from(atob(dataBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Runs an export in the core's worker: the call resolves when the file is ready (or cancelled); meanwhile
 * `reports.progress` events for this job id move the progress bar, and cancel() stops the worker.
 */
export function useExportJob() {
  const { message } = AntApp.useApp();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      onStationEvent('reports.progress', (p) => {
        const e = p as { jobId: string; phase: string; done: number; total: number };
        if (e.jobId === current.current) setProgress((old) => (old ? { ...old, phase: e.phase, done: e.done, total: e.total } : old));
      }),
    [],
  );

  const start = useCallback(
    async (label: string, spec: ExportSpec, fullIdNumbers = false) => {
      if (current.current) {
        message.warning('已有导出正在进行，请稍候或先取消');
        return;
      }
      const jobId = uuidv7();
      current.current = jobId;
      setProgress({ jobId, label, phase: '准备', done: 0, total: 0 });
      const r = await call('reports.export', { jobId, spec, fullIdNumbers });
      current.current = null;
      setProgress(null);
      if (!r.ok) {
        message.error(r.message);
        return;
      }
      if (r.value.status === 'cancelled') {
        message.info('已取消导出');
        return;
      }
      saveFile(r.value.fileName, r.value.mime, r.value.dataBase64);
      message.success(`已导出：${r.value.fileName}${r.value.masked ? '' : '（含完整身份证号码，已记录）'}`);
    },
    [message],
  );

  const cancel = useCallback(async () => {
    if (current.current) await call('reports.cancel', { jobId: current.current });
  }, []);

  return { progress, start, cancel };
}
