/** The `Group` structure, as the group operations return it. */
import type { Group } from '../../store/store.js'

/** A group as IAM returns it: IAM keeps no tags or boundary on groups. */
export type GroupXml = {
  readonly Path: string
  readonly GroupName: string
  readonly GroupId: string
  readonly Arn: string
  readonly CreateDate: Date
}

/** The `Group` structure of a stored group. */
export function groupXml(group: Group): GroupXml {
  return {
    Path: group.path,
    GroupName: group.name,
    GroupId: group.groupId,
    Arn: group.arn,
    CreateDate: group.createdAt,
  }
}
