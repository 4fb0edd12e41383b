import m0001 from './0001_county';
import m0002 from './0002_console';
import m0003 from './0003_payments';
import m0004 from './0004_push_refused';
import m0005 from './0005_lz4_toast';
import m0006 from './0006_station_refs_per_statement';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Ascending; one file per migration; never edit a released one, add the next. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006];
