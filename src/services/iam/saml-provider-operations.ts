/** IAM's SAML identity providers and their tags. */
import type { Operation } from '../operation.js'
import {
  LIST_SAML_PROVIDER_TAGS,
  TAG_SAML_PROVIDER,
  UNTAG_SAML_PROVIDER,
} from './saml-provider-tags.js'
import {
  CREATE_SAML_PROVIDER,
  DELETE_SAML_PROVIDER,
  GET_SAML_PROVIDER,
  LIST_SAML_PROVIDERS,
  UPDATE_SAML_PROVIDER,
} from './saml-providers.js'

/** Every operation of this family, in the order the reference lists them. */
export const SAML_PROVIDER_OPERATIONS: readonly Operation[] = [
  CREATE_SAML_PROVIDER,
  GET_SAML_PROVIDER,
  LIST_SAML_PROVIDERS,
  UPDATE_SAML_PROVIDER,
  DELETE_SAML_PROVIDER,
  TAG_SAML_PROVIDER,
  UNTAG_SAML_PROVIDER,
  LIST_SAML_PROVIDER_TAGS,
]
