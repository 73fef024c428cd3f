/**
 * A member name as CloudTrail writes it in requestParameters and responseElements: the API's
 * name with its first letter in lower case and nothing else changed (`UserName` -> `userName`,
 * `SAMLAssertionID` -> `sAMLAssertionID`, `ARN` -> `aRN`). AWS's own records show the rule on
 * names that begin with an acronym: `sAMLAssertionID` in AssumeRoleWithSAML records (IAM User
 * Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail") and `aRN` in MediaStore's
 * CreateContainer example.
 */
export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}
