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
export function deliverAudit(
  audit: (event: AuditEvent) => Promise<void>,
  event: AuditEvent,
): Promise<void> {
  // The trail's promise itself when it keeps its word, rather than an async function's around
  // it: one wait fewer for every call.
  let taken: Promise<void>
  try {
    taken = audit(event)
  } catch (err) {
    return Promise.reject(auditFailure(err))
  }
  return taken.catch((err: unknown) => {
    throw auditFailure(err)
  })
}

function auditFailure(cause: unknown): AuditFailure {
  return new AuditFailure('the audit trail did not take the record', { cause })
}
