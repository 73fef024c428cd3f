/**
 * A LIMIT taken from a bound parameter, in both dialects. Never `LIMIT ?` alone: SQLite (since
 * 3.47) reads a bare parameter's bound value while planning a LIMIT and marks the statement to
 * be prepared again whenever that parameter is bound anew, which better-sqlite3 does on every
 * run; a listing of a few rows then cost about 10 us more than its query (measured: 12 us
 * against 2.5 for one page of a user's attached policies). Inside a CAST the parameter is an
 * expression SQLite does not look into, and the statement stays prepared.
 */
export const LIMIT_PARAM = 'LIMIT CAST(? AS INTEGER)'
