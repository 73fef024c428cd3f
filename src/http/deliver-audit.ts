/**
 * Handing an answered call's record to the audit trail, as every pipeline does before it sends
 * the answer: a record the trail does not take turns the call into a server failure, which each
 * pipeline tells from the call's own errors by this error's class.
 */
import type { AuditEvent } from '../audit/audit-event.js'

/** The trail could not take a call's record: the call is answered as a server failure. */
export class AuditFailure extends Error {
  override readonly name = 'AuditFailure'
}

/** Waits for `audit` to take `event`; AuditFailure (the cause kept) if it does not. */
export async function deliverAudit(
  audit: (event: AuditEvent) => Promise<void>,
  event: AuditEvent,
): Promise<void> {
  try {
    await audit(event)
  } catch (err) {
    throw new AuditFailure('the audit trail did not take the record', { cause: err })
  }
}
