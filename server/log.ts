import pino from 'pino';

/**
 * County log. Request and response bodies are never logged (they carry names and ID numbers of vulnerable people):
 * log routes, ids, counts and error classes only. The redact list catches fields that slip through anyway, and the
 * Authorization header so credentials never reach a log file.
 */
const PERSONAL_FIELDS = ['idNumber', 'name', 'phone', 'address', 'args', 'data', 'payload', 'body', 'mutations', 'findings', 'reason'];

export function createCountyLogger(level: string = process.env.COUNTY_LOG_LEVEL ?? 'info'): pino.Logger {
  return pino({
    level,
    base: { app: 'county' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        ...PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]),
      ],
      censor: '[redacted]',
    },
  });
}
