import type { StationSettings } from '../../../shared/ipc/calls/system';
import type { Db } from '../db/open';
import { diffFields } from './audit';
import type { WriteTx } from './unitOfWork';

export function readSettings(db: Db): StationSettings | null {
  const row = db.prepare('SELECT township_name, station_code FROM station_settings WHERE id = 1').get() as
    | { township_name: string; station_code: string }
    | undefined;
  return row ? { townshipName: row.township_name, stationCode: row.station_code } : null;
}

export function saveSettings(tx: WriteTx, input: StationSettings): StationSettings {
  const before = readSettings(tx.db);
  tx.db
    .prepare(
      `INSERT INTO station_settings (id, township_name, station_code, updated_at) VALUES (1, @townshipName, @stationCode, @now)
       ON CONFLICT (id) DO UPDATE SET township_name = excluded.township_name, station_code = excluded.station_code,
                                      updated_at = excluded.updated_at`,
    )
    .run({ ...input, now: tx.now });
  const changes = diffFields(before, input);
  if (Object.keys(changes).length > 0) {
    tx.audit({ action: 'settings.save', entity: 'station_settings', entityId: '1', changes });
    tx.mutate('station.settings', { name: input.townshipName, code: input.stationCode });
  }
  return input;
}
