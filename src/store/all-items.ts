/** Collecting every page of a store listing, for callers that need the whole list. */
import type { Page, PageRequest } from './store.js'

/** Every item of a paginated store listing, read a thousand at a time. */
export async function allItems<T>(list: (request: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = []
  let marker: string | undefined
  do {
    const page = await list(marker === undefined ? { maxItems: 1000 } : { marker, maxItems: 1000 })
    items.push(...page.items)
    marker = page.marker ?? undefined
  } while (marker !== undefined)
  return items
}
