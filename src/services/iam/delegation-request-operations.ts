/** IAM's operations for the delegation requests of temporary access delegation, and GetHumanReadableSummary. */
import type { Operation } from '../operation.js'
import {
  ACCEPT_DELEGATION_REQUEST,
  ASSOCIATE_DELEGATION_REQUEST,
  REJECT_DELEGATION_REQUEST,
  SEND_DELEGATION_TOKEN,
  UPDATE_DELEGATION_REQUEST,
} from './delegation-request-decisions.js'
import {
  CREATE_DELEGATION_REQUEST,
  GET_DELEGATION_REQUEST,
  LIST_DELEGATION_REQUESTS,
} from './delegation-requests.js'
import { GET_HUMAN_READABLE_SUMMARY } from './delegation-summary.js'

/** Every operation of this family, in the order a request goes through them. */
export const DELEGATION_REQUEST_OPERATIONS: readonly Operation[] = [
  CREATE_DELEGATION_REQUEST,
  GET_DELEGATION_REQUEST,
  LIST_DELEGATION_REQUESTS,
  ASSOCIATE_DELEGATION_REQUEST,
  UPDATE_DELEGATION_REQUEST,
  ACCEPT_DELEGATION_REQUEST,
  REJECT_DELEGATION_REQUEST,
  SEND_DELEGATION_TOKEN,
  GET_HUMAN_READABLE_SUMMARY,
]
