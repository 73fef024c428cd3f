/**
 * A process that records audit-trail events as fast as it can, for the crash test: it opens the
 * SQLite trail at argv[2], on a worker thread (`thread`), on its main thread (`direct`), or on a
 * worker thread behind the trail's journal (`journal`, as the server does) as argv[3] says, records events through a TrailWriter from 16 concurrent
 * callers, and prints each event's id on its own line once record() has resolved, that is once
 * the event is acknowledged. It never stops by itself: the test kills it.
 *
 *   node --import tsx test/support/trail-load.ts <trail.db> thread|direct|journal
 */
import { randomUUID } from 'node:crypto'
import { TrailWriter } from '../../src/audit/trail-writer.js'
import { journalDirOf, openSqliteTrailStore } from '../../src/store/sqlite/sqlite-trail-store.js'
import {
  ThreadedTrailStore,
  openThreadedSqliteTrailStore,
} from '../../src/store/sqlite/threaded-trail-store.js'
import { TrailJournal } from '../../src/store/sqlite/trail-journal.js'
import type { TrailEvent } from '../../src/store/trail-store.js'

const [filename, mode] = process.argv.slice(2)
if (filename === undefined || (mode !== 'thread' && mode !== 'direct' && mode !== 'journal')) {
  throw new Error('usage: trail-load.ts <trail.db> thread|direct|journal')
}
const CALLERS = 16

/** An event about as large as a real CloudTrail record of an IAM call. */
function loadEvent(eventId: string): TrailEvent {
  const eventTime = new Date()
  const record = JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: eventTime.toISOString(),
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0 api/iam#3.0.0',
    requestParameters: { userName: 'bob', path: '/engineering/' },
    responseElements: {
      user: {
        path: '/engineering/',
        userName: 'bob',
        userId: 'AIDAEXAMPLEUSERID',
        arn: 'arn:aws:iam::111122223333:user/engineering/bob',
        createDate: eventTime.toISOString(),
      },
    },
    requestID: randomUUID(),
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  })
  return {
    eventId,
    eventTime,
    eventName: 'CreateUser',
    eventSource: 'iam.amazonaws.com',
    readOnly: false,
    username: 'alice',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    resources: [{ type: 'AWS::IAM::User', name: 'bob' }],
    accountId: '111122223333',
    record,
  }
}

const journalDir = journalDirOf(filename)
const store =
  mode === 'thread'
    ? await openThreadedSqliteTrailStore({ filename })
    : mode === 'journal'
      ? await openThreadedSqliteTrailStore({ filename, journalDir })
      : openSqliteTrailStore({ filename })
const writer = new TrailWriter(
  store,
  store instanceof ThreadedTrailStore && mode === 'journal'
    ? { journal: new TrailJournal(journalDir, store) }
    : {},
)

async function caller(): Promise<never> {
  for (;;) {
    const eventId = randomUUID()
    await writer.record(loadEvent(eventId))
    // Only after record() resolved: every line the test reads names an acknowledged event. (A
    // line still in this process's buffer when it is killed is lost to the test, which can only
    // make the test see fewer acknowledgements, never one that was not made.)
    process.stdout.write(`${eventId}\n`)
  }
}

await Promise.all(Array.from({ length: CALLERS }, caller))
