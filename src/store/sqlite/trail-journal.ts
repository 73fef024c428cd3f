/**
 * The trail's journal: where a server process writes each batch of records before the trail
 * database has them, so that the API answers as soon as its records are safe, without waiting
 * for the database's commit on another thread.
 *
 * A batch is one write(2) to a file of the process's own, and once that returns its bytes are in
 * the operating system's page cache: they survive a crash of the process (kill -9), as a WAL
 * commit with synchronous=NORMAL does (not a crash of the machine). The batch then goes to the
 * trail store (on its thread), which appends it and notes, in the same transaction, how far into
 * the file it has come (trail_journals). Whatever a crash left unappended is appended from the
 * file by the next store to open the directory, and a lookup first takes in what other processes'
 * journals hold, so no record is lost or appended twice.
 *
 * A file holds one line per record: a JSON array of the event's other members, a tab, and the
 * record's JSON text as it is (encodeJournalLine; decodeJournalLine also reads the lines of
 * earlier versions, which hold the record inside the array).
 * Files are named `<pid>-<random>-<generation>.log`; a process starts a new generation when its
 * file passes ROTATE_BYTES, and a file is removed once it is fully appended and no longer written
 * (a newer generation exists, its process has exited, or its process closed it).
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { TrailAccess, TrailEvent, TrailResource } from '../trail-store.js'
import { jsonString, recurringJsonString } from '../json-string.js'

/** A process starts a new file once its current one holds this many bytes. */
export const ROTATE_BYTES = 16 * 1024 * 1024

/** What a journal file's name says. */
export interface JournalName {
  readonly pid: number
  /** The writer's own tag: the pid and a random part. */
  readonly tag: string
  readonly generation: number
}

const NAME = /^(\d+)-([0-9a-f]{8})-(\d+)\.log$/

/** Reads a journal file's name; undefined for a file that is not one. */
export function parseJournalName(file: string): JournalName | undefined {
  const match = NAME.exec(file)
  if (match === null) return undefined
  const [, pid, random, generation] = match as unknown as [string, string, string, string]
  return { pid: Number(pid), tag: `${pid}-${random}`, generation: Number(generation) }
}

/** A batch as written: which file, and the bytes it took there. */
export interface JournaledBatch {
  /** The file's name in the journal directory. */
  readonly journal: string
  /** Where the batch starts and ends in the file (bytes). */
  readonly start: number
  readonly end: number
  readonly events: readonly TrailEvent[]
}

/** A batch as TrailJournalFile wrote it, with what it wrote. */
export interface WrittenBatch extends JournaledBatch {
  /**
   * The bytes of the events' lines (encodeJournalLine), in memory of their own: the trail's
   * thread is sent them, transferred rather than copied (which leaves them empty here).
   */
  readonly bytes: Uint8Array<ArrayBuffer>
}

/**
 * One event as one line: a JSON array of its members other than the record, a tab, then the
 * record's text as it is. The record is JSON already (JSON.stringify's, which holds no tab, no newline
 * and no lone surrogate): written inside the array as a JSON string, every quote in it would be
 * escaped (most of a line's cost) only for the reader to undo it. A record that could not be
 * written as it is (none that buildTrailEvent makes) is written in the older form, as a JSON
 * string inside the array, so that any text frames safely.
 */
export function encodeJournalLine(event: TrailEvent): string {
  // The array written item by item, as JSON.stringify writes it: its strings are ids and names
  // with nothing to escape, which one call on the whole array does not make use of; so are its
  // two objects (the resources, the access), below.
  const time = event.eventTime.getTime()
  const members =
    `[${jsonString(event.eventId)},${Number.isFinite(time) ? String(time) : 'null'}` +
    `,${recurringJsonString(event.eventName)},${recurringJsonString(event.eventSource)}` +
    `,${event.readOnly ? 'true' : 'false'},${nullableJson(event.username)}` +
    `,${nullableJson(event.accessKeyId)},${resourcesJson(event.resources)}` +
    `,${nullableJson(event.accountId)}`
  const access = event.access === undefined ? 'null' : accessJson(event.access)
  // The record checked inside the whole line (see writableAsIs), which the check makes one flat
  // string: the record alone would be copied once for the check and again for the batch's bytes.
  const line = `${members},${access}]\t${event.record}\n`
  if (writableAsIs(line)) return line
  return `${members},${jsonString(event.record)},${access}]\n`
}

// The resources and the access are written member by member too: JSON.stringify, a call into
// V8's runtime, took half of a line's cost for these few short strings (a CPU profile of
// GetUser under load).

/** JSON.stringify of the resources, as TrailResource lists its members. */
function resourcesJson(resources: readonly TrailResource[]): string {
  let out = '['
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i] as TrailResource
    out +=
      `${i === 0 ? '' : ','}{"type":${recurringJsonString(resource.type)}` +
      `,"name":${jsonString(resource.name)}}`
  }
  return `${out}]`
}

/** JSON.stringify of an access, as TrailAccess lists its members. */
function accessJson(access: TrailAccess): string {
  return (
    `{"entityId":${recurringJsonString(access.entityId)}` +
    `,"service":${recurringJsonString(access.service)}` +
    `,"action":${recurringJsonString(access.action)}` +
    `,"region":${recurringJsonString(access.region)}}`
  )
}

/** A string member that recurs from line to line (a user, a key, an account), or null. */
function nullableJson(value: string | null): string {
  return value === null ? 'null' : recurringJsonString(value)
}

/**
 * Whether a line of the newer form, `<array>\t<record>\n`, can be written as it is: its only
 * newline is its last (no newline in the record, which would end the line) and it has no lone
 * surrogate (UTF-8 cannot hold one: it would be read back as U+FFFD). The array's JSON has
 * neither, and a tab and a newline around the record pair with no surrogate in it: the line can
 * be written exactly when the record can.
 */
function writableAsIs(line: string): boolean {
  // String.prototype.isWellFormed is in Node 20, not in TypeScript's ES2023 library.
  return line.indexOf('\n') === line.length - 1 && (line as unknown as WellFormed).isWellFormed()
}

interface WellFormed {
  isWellFormed(): boolean
}

/**
 * The event of one line (without its newline), of either form: with the record after a tab, or
 * inside the array (the older form, which the journals of earlier versions hold, has no tab:
 * JSON.stringify escapes every tab). Throws on a line that is not an event.
 */
export function decodeJournalLine(line: string): TrailEvent {
  const tab = line.indexOf('\t')
  const value: unknown = JSON.parse(tab < 0 ? line : line.slice(0, tab))
  if (!Array.isArray(value) || value.length !== (tab < 0 ? 11 : 10)) {
    throw new Error('a journal line is not an event')
  }
  // The record in its place of the older form.
  if (tab >= 0) value.splice(9, 0, line.slice(tab + 1))
  const [eventId, time, eventName, eventSource, readOnly, username, accessKeyId, resources] =
    value as [string, number, string, string, boolean, string | null, string | null, unknown]
  const [accountId, record, access] = value.slice(8) as [
    string | null,
    string,
    TrailEvent['access'] | null,
  ]
  return {
    eventId,
    eventTime: new Date(time),
    eventName,
    eventSource,
    readOnly,
    username,
    accessKeyId,
    resources: resources as TrailResource[],
    accountId,
    record,
    ...(access === null || access === undefined ? {} : { access }),
  }
}

/**
 * The events of a batch's bytes as written (whole lines): what the trail's thread is sent of a
 * batch, rather than the events, whose every member structured cloning would copy one by one.
 */
export function decodeJournalLines(bytes: Uint8Array): TrailEvent[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  // After the last newline: nothing.
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => decodeJournalLine(line))
}

/** The writing side: one process's current file. */
export class TrailJournalFile {
  readonly #dir: string
  readonly #tag: string
  #generation = 0
  #fd = -1
  #name = ''
  #size = 0
  #closed = false
  /** The files this process wrote and has moved on from, or closed. */
  readonly #finished: string[] = []

  readonly #rotateBytes: number

  /**
   * Creates the directory if needed (mode 0700: records are as private as the trail).
   * `rotateBytes`: the size at which a new file begins (ROTATE_BYTES; tests make it small).
   */
  constructor(dir: string, rotateBytes: number = ROTATE_BYTES) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    this.#dir = dir
    this.#rotateBytes = rotateBytes
    this.#tag = `${process.pid}-${randomBytes(4).toString('hex')}`
    this.#next()
  }

  /** The current file's name. */
  get name(): string {
    return this.#name
  }

  /** Files this process no longer writes: the store may remove them once it has them all. */
  get finished(): readonly string[] {
    return this.#finished
  }

  /** Stops writing the current file (if any): it is finished. */
  #leave(): void {
    if (this.#fd < 0) return
    const fd = this.#fd
    // Forgotten before closing: a descriptor number closed twice may by then be another file's.
    this.#fd = -1
    this.#finished.push(this.#name)
    closeSync(fd)
  }

  #next(): void {
    this.#leave()
    this.#generation += 1
    this.#name = `${this.#tag}-${this.#generation}.log`
    // 'ax': a new file of our own; every write goes to its end.
    this.#fd = openSync(join(this.#dir, this.#name), 'ax', 0o600)
    this.#size = 0
    // The file's name must outlive a crash of the machine no more than its contents do; a
    // directory fsync would only matter for that, so none is made (see the header).
  }

  /** Writes the events; once it returns they survive a crash of the process. */
  write(events: readonly TrailEvent[]): WrittenBatch {
    if (this.#closed) throw new Error('the trail journal is closed')
    let text = ''
    for (const event of events) {
      // As an append refuses it: a line would carry null, read back as 1970.
      if (!Number.isFinite(event.eventTime.getTime())) {
        throw new RangeError(`event ${event.eventId} has no valid time`)
      }
      text += encodeJournalLine(event)
    }
    // A new file when the current one is full, or after a write or an open failed.
    if (this.#fd < 0 || this.#size >= this.#rotateBytes) this.#next()
    // Memory of the batch's own, not a slice of Buffer's shared pool: it can be transferred.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'))
    bytes.write(text, 'utf8')
    let written = 0
    try {
      while (written < bytes.length) {
        written += writeSync(this.#fd, bytes, written, bytes.length - written)
      }
    } catch (err) {
      // Part of the batch may be in the file (a full disk): it is cut off, so that the file
      // holds whole lines of acknowledged batches only; if even that fails, the file is left
      // (whole lines are all anyone reads) and the next batch starts a new one.
      try {
        if (written > 0) ftruncateSync(this.#fd, this.#size)
      } catch {
        this.#leave()
      }
      throw err
    }
    const start = this.#size
    this.#size += bytes.length
    return { journal: this.#name, start, end: this.#size, events, bytes }
  }

  /** Closes the current file; `sync` also flushes it to the disk first. */
  close(sync = false): void {
    if (this.#closed) return
    this.#closed = true
    if (sync && this.#fd >= 0) fsyncSync(this.#fd)
    this.#leave()
  }
}

/** What a journal hands its batches to: the trail store that appends them (on its thread). */
export interface JournalingTrailStore {
  appendJournaled(batch: WrittenBatch): Promise<void>
  finishJournals(names: readonly string[]): Promise<void>
}

/**
 * A process's journal in front of its trail store: write() makes a batch durable at once and
 * hands it to the store, whose append the caller need not wait for.
 */
export class TrailJournal {
  readonly #file: TrailJournalFile
  readonly #store: JournalingTrailStore
  #reported = 0

  constructor(dir: string, store: JournalingTrailStore, rotateBytes: number = ROTATE_BYTES) {
    this.#file = new TrailJournalFile(dir, rotateBytes)
    this.#store = store
  }

  /**
   * Writes the events to the journal (durable once this returns; throws if they could not be
   * written) and resolves once the trail store has appended them.
   */
  write(events: readonly TrailEvent[]): Promise<void> {
    const batch = this.#file.write(events)
    const appended = this.#store.appendJournaled(batch)
    const finished = this.#file.finished
    if (finished.length === this.#reported) return appended
    // The file was full and a new one begun: the store takes the old one in and removes it.
    const names = finished.slice(this.#reported)
    this.#reported = finished.length
    return Promise.all([appended, this.#store.finishJournals(names)]).then(() => undefined)
  }

  /** Closes the file; resolves once the store has taken it in (and removed it). */
  async close(): Promise<void> {
    this.#file.close()
    const names = this.#file.finished.slice(this.#reported)
    this.#reported = this.#file.finished.length
    await this.#store.finishJournals(names)
  }
}
