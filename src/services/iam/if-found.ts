/** A store lookup whose "not found" is an answer rather than an error. */
import { NotFoundError } from '../../store/errors.js'

/**
 * What `lookup` finds, or undefined when the store has no such entity. For the steps that run
 * before authorization (the resource, the condition keys): a missing entity is the handler's to
 * report, after the caller is known to be allowed to learn it.
 */
export async function ifFound<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}
