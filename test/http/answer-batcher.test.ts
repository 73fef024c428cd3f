/**
 * AnswerBatcher (src/http/answer-batcher.ts): answers taken in one turn of the event loop are
 * written together at its end, in the order taken, and one that cannot be written does not keep
 * back the others nor stop the process.
 */
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { AnswerBatcher } from '../../src/http/answer-batcher.js'

describe('AnswerBatcher', () => {
  it("holds a turn's answers until its end, then writes them in the order taken", async () => {
    const written: string[] = []
    const batcher = new AnswerBatcher<string>(
      (answer) => written.push(answer),
      (err) => assert.fail(String(err)),
    )
    batcher.add('a')
    batcher.add('b')
    // A microtask is still the same turn: nothing leaves yet.
    await Promise.resolve()
    batcher.add('c')
    assert.deepEqual(written, [])
    assert.equal(batcher.held, 3)
    await nextTurn()
    assert.deepEqual(written, ['a', 'b', 'c'])
    assert.equal(batcher.held, 0)
  })

  it("writes each turn's answers at the end of that turn", async () => {
    const batches: string[][] = []
    let current: string[] = []
    const batcher = new AnswerBatcher<string>(
      (answer) => current.push(answer),
      (err) => assert.fail(String(err)),
    )
    for (const turn of [['1a', '1b'], ['2a'], ['3a', '3b', '3c']]) {
      for (const answer of turn) batcher.add(answer)
      await nextTurn()
      batches.push(current)
      current = []
    }
    assert.deepEqual(batches, [['1a', '1b'], ['2a'], ['3a', '3b', '3c']])
  })

  it('writes the other answers when one cannot be written, and reports that one', async () => {
    const written: string[] = []
    const errors: [unknown, string][] = []
    const batcher = new AnswerBatcher<string>(
      (answer) => {
        if (answer === 'bad') throw new TypeError('Invalid character in header content')
        written.push(answer)
      },
      (err, answer) => errors.push([err, answer]),
    )
    for (const answer of ['a', 'bad', 'b']) batcher.add(answer)
    await nextTurn()
    assert.deepEqual(written, ['a', 'b'])
    assert.equal(errors.length, 1)
    assert.match(String(errors[0]?.[0]), /Invalid character/)
    assert.equal(errors[0]?.[1], 'bad')
    // The batcher is usable after it.
    batcher.add('c')
    await nextTurn()
    assert.deepEqual(written, ['a', 'b', 'c'])
  })

  it('lets no throw escape its turn, even from the one told of a failure', async () => {
    const written: string[] = []
    const batcher = new AnswerBatcher<string>(
      (answer) => {
        if (answer === 'bad') throw new Error('cannot write')
        written.push(answer)
      },
      () => {
        throw new Error('cannot tell either')
      },
    )
    // A throw out of the flush would be an uncaught exception: the test runner fails the test.
    for (const answer of ['a', 'bad', 'b']) batcher.add(answer)
    await nextTurn()
    assert.deepEqual(written, ['a', 'b'])
  })
})
