import type { FormInstance } from 'antd';
import type { Fail } from '../../shared/ipc/errors';

/** Puts the core's field-level validation messages next to the matching form fields. */
export function applyFieldErrors(form: FormInstance, failure: Fail): void {
  if (failure.code !== 'INVALID_INPUT' || !Array.isArray(failure.details)) return;
  const fields = (failure.details as { path: string; message: string }[])
    .filter((d) => d.path)
    .map((d) => ({ name: d.path.split('.'), errors: [d.message] }));
  form.setFields(fields);
}
