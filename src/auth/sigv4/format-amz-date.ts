/** Writing SigV4's timestamp format. */

/** Epoch milliseconds as an ISO 8601 basic-format UTC time, whole seconds (`20150830T123600Z`). */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')
}
