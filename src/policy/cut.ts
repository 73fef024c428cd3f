/** Splits at the first `separator` (Python's str.partition): head, whether it was found, tail. */
export function cut(text: string, separator = ':'): [string, boolean, string] {
  const i = text.indexOf(separator)
  return i < 0 ? [text, false, ''] : [text.slice(0, i), true, text.slice(i + separator.length)]
}
