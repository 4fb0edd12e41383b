import { readSettings, saveSettings } from '../../services/settings';
import { pendingCount } from '../../services/outbox';
import { write } from '../../services/unitOfWork';
import type { HandlerMap } from '../handlerTypes';

export const systemHandlers: HandlerMap<'status.get' | 'settings.get' | 'settings.save'> = {
  'status.get': (_input, { core }) => {
    const settings = readSettings(core.db);
    return {
      configured: settings !== null,
      townshipName: settings?.townshipName ?? null,
      stationCode: settings?.stationCode ?? null,
      pendingOutbox: pendingCount(core.db),
      connection: core.connection.state,
      lastSyncAt: core.connection.lastSuccessAt,
      schemaVersion: core.db.pragma('user_version', { simple: true }) as number,
      host: core.host,
    };
  },
  'settings.get': (_input, { core }) => readSettings(core.db),
  'settings.save': (input, { core, actor }) => {
    const saved = write(core.db, actor, (tx) => saveSettings(tx, input));
    core.emit('status.changed', {});
    return saved;
  },
};
