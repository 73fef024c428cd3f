/** Virtual MFA devices: their seeds at rest, assignment, accepted codes, quota, tags and lists. */
import assert from 'node:assert/strict'
import { DeleteConflictError, LimitExceededError, NotFoundError } from '../../errors.js'
import { MfaDeviceError } from '../../mfa-device-error.js'
import { MFA_DEVICES_PER_USER, MFA_SEED_BYTES } from '../../mfa-devices-ops.js'
import type { AcceptedCodes, VirtualMfaDevice } from '../../mfa-devices-ops.js'
import type { StoreTx } from '../../store.js'
import { ACCOUNT, OTHER_ACCOUNT, START, readAllPages, rejectsWith } from '../harness.js'
import type { CaseGroup } from '../harness.js'

/** The serial number of a device of ACCOUNT. */
function serial(pathAndName: string, accountId: string = ACCOUNT): string {
  return `arn:aws:iam::${accountId}:mfa/${pathAndName}`
}

/** Codes of steps `last - 1` and `last`, the device's clock `drift` steps off. */
function codes(last: number, drift = 0): AcceptedCodes {
  return { firstStep: last - 1, lastStep: last, driftSteps: drift }
}

/** Whether `haystack` holds `needle` anywhere. */
function holds(haystack: Uint8Array, needle: Uint8Array | string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle))
}

async function serials(
  list: Promise<{ readonly items: readonly VirtualMfaDevice[] }>,
): Promise<string[]> {
  return (await list).items.map((device) => device.serialNumber)
}

async function userWithDevice(tx: StoreTx, userName: string, deviceName: string): Promise<void> {
  await tx.createUser({ accountId: ACCOUNT, name: userName })
  await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: deviceName })
  await tx.enableMfaDevice(ACCOUNT, serial(deviceName), userName, codes(100))
}

/** The virtual MFA device cases. */
export const mfaDeviceCases: CaseGroup = {
  name: 'mfa devices',
  cases(test) {
    test('uses up a code of an enabled device once, and none at or before the last used', async (c) => {
      await c.tx(async (tx) => {
        // Enabled with the codes of steps 99 and 100.
        await userWithDevice(tx, 'alice', 'A')
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('A'), 'alice', 100), false)
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('A'), 'alice', 101), true)
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('A'), 'alice', 101), false, 'replayed')
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('A'), 'ALICE', 105), true)
        assert.equal((await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('A'))).lastStep, 105)
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await assert.rejects(
          tx.useMfaCode(ACCOUNT, serial('A'), 'bob', 200),
          (err: unknown) => err instanceof MfaDeviceError && err.reason === 'notAssignedToUser',
        )
      })
    })

    test('creates an unassigned device whose serial number is its ARN, with a seed', async (c) => {
      await c.tx(async (tx) => {
        const { device, seed } = await tx.createVirtualMfaDevice({
          accountId: ACCOUNT,
          name: 'PhoneMFA',
          path: '/division/',
        })
        const expected: VirtualMfaDevice = {
          accountId: ACCOUNT,
          name: 'PhoneMFA',
          path: '/division/',
          serialNumber: serial('division/PhoneMFA'),
          createdAt: START,
          user: null,
          root: false,
          enabledAt: null,
        }
        assert.deepEqual(device, expected)
        assert.equal(seed.length, MFA_SEED_BYTES)
        assert.deepEqual(await tx.getVirtualMfaDevice(ACCOUNT, device.serialNumber), expected)
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, device.serialNumber)
        assert.deepEqual(secret, { device: expected, seed, lastStep: null, driftSteps: 0 })
        const root = await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'Other' })
        assert.equal(root.device.serialNumber, serial('Other'))
        assert.equal(root.device.path, '/')
        assert.notDeepEqual(root.seed, seed, 'every device has its own seed')
      })
    })

    test('finds a device by serial number with the name in any case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'PhoneMFA', path: '/a/' })
        const found = await tx.getVirtualMfaDevice(ACCOUNT, serial('a/phonemfa'))
        assert.equal(found.serialNumber, serial('a/PhoneMFA'))
        for (const missing of [
          serial('A/PhoneMFA'),
          serial('PhoneMFA'),
          serial('a/PhoneMFA', OTHER_ACCOUNT),
          'GAHT12345678',
          `arn:aws:iam::${ACCOUNT}:user/a/PhoneMFA`,
        ]) {
          await rejectsWith(tx.getVirtualMfaDevice(ACCOUNT, missing), MfaDeviceError, {
            reason: 'notFound',
            serialNumber: missing,
          })
        }
      })
    })

    test('refuses a second device of the same path and name without case', async (c) => {
      await c.tx(async (tx) => {
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'PhoneMFA' })
        await rejectsWith(
          tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'phonemfa' }),
          MfaDeviceError,
          { reason: 'alreadyExists', serialNumber: serial('phonemfa') },
        )
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'phonemfa', path: '/other/' })
        await tx.createVirtualMfaDevice({ accountId: OTHER_ACCOUNT, name: 'PhoneMFA' })
        await rejectsWith(
          tx.createVirtualMfaDevice({ accountId: '999999999999', name: 'PhoneMFA' }),
          NotFoundError,
          { entity: 'account' },
        )
      })
    })

    test('keeps seeds encrypted at rest', async (c) => {
      const seeds = await c.tx(async (tx) => {
        const made: Uint8Array[] = []
        for (const name of ['FirstDevice', 'SecondDevice']) {
          made.push((await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name })).seed)
        }
        return made
      })
      const raw = await c.rawContent()
      assert.ok(holds(raw, 'SecondDevice'), 'the raw content is what the store keeps')
      for (const seed of seeds) {
        // A seed's first half is enough to find it whole or in part; 20 bytes never repeat by chance.
        const half = Buffer.from(seed.subarray(0, 20))
        assert.ok(!holds(raw, half), 'a seed is stored in plain bytes')
        assert.ok(!holds(raw, half.toString('base64').slice(0, 24)), 'a seed is in base64')
        assert.ok(!holds(raw, half.toString('hex')), 'a seed is in hex')
      }
      const read = await c.tx((tx) => tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('FirstDevice')))
      assert.deepEqual(read.seed, seeds[0])
    })

    test('never returns a seed from the device record, the lists or the tags', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        const { seed } = await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'D' })
        await tx.enableMfaDevice(ACCOUNT, serial('D'), 'alice', codes(10))
        const base64 = Buffer.from(seed).toString('base64')
        for (const shown of [
          await tx.getVirtualMfaDevice(ACCOUNT, serial('D')),
          await tx.listVirtualMfaDevices(ACCOUNT),
          await tx.listMfaDevices(ACCOUNT, 'alice'),
        ]) {
          const text = JSON.stringify(shown)
          assert.ok(!text.includes(base64))
          assert.ok(!text.includes(Buffer.from(seed).toString('hex')))
          assert.ok(!text.includes('seed'))
        }
      })
    })

    test('enables a device for a user, keeping the step and drift of its codes', async (c) => {
      const enabledAt = new Date(START.getTime() + 60_000)
      await c.tx(async (tx) => {
        const user = await tx.createUser({ accountId: ACCOUNT, name: 'Alice', path: '/staff/' })
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'AliceMFA' })
        c.clock.advance(60_000)
        const device = await tx.enableMfaDevice(
          ACCOUNT,
          serial('AliceMFA'),
          'alice',
          codes(500, -2),
        )
        assert.deepEqual(device.user, user)
        assert.deepEqual(device.enabledAt, enabledAt)
        assert.deepEqual(await tx.getVirtualMfaDevice(ACCOUNT, serial('AliceMFA')), device)
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('AliceMFA'))
        assert.equal(secret.lastStep, 500)
        assert.equal(secret.driftSteps, -2)
        assert.deepEqual((await tx.listMfaDevices(ACCOUNT, 'ALICE')).items, [device])
      })
    })

    test('checks an enable in order: user, device, assignment, replay', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'D' })
        await rejectsWith(
          tx.enableMfaDevice(ACCOUNT, serial('Missing'), 'nobody', codes(10)),
          NotFoundError,
          { entity: 'user', key: 'nobody' },
        )
        await rejectsWith(
          tx.enableMfaDevice(ACCOUNT, serial('Missing'), 'alice', codes(10)),
          MfaDeviceError,
          { reason: 'notFound', serialNumber: serial('Missing') },
        )
        await tx.enableMfaDevice(ACCOUNT, serial('D'), 'alice', codes(10))
        for (const userName of ['alice', 'bob']) {
          await rejectsWith(
            tx.enableMfaDevice(ACCOUNT, serial('D'), userName, codes(20)),
            MfaDeviceError,
            { reason: 'assigned', serialNumber: serial('D') },
          )
        }
        await tx.deactivateMfaDevice(ACCOUNT, serial('D'), 'alice')
        for (const reused of [
          codes(10),
          codes(11),
          { firstStep: 5, lastStep: 12, driftSteps: 0 },
        ]) {
          await rejectsWith(
            tx.enableMfaDevice(ACCOUNT, serial('D'), 'bob', reused),
            MfaDeviceError,
            { reason: 'codesReused' },
          )
        }
        const device = await tx.getVirtualMfaDevice(ACCOUNT, serial('D'))
        assert.equal(device.user, null, 'a refused enable changes nothing')
        const again = await tx.enableMfaDevice(ACCOUNT, serial('D'), 'bob', codes(12))
        assert.equal(again.user?.name, 'bob')
      })
    })

    test(`allows ${MFA_DEVICES_PER_USER} devices per user`, async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        for (let i = 0; i <= MFA_DEVICES_PER_USER; i++) {
          await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: `D${i}` })
        }
        for (let i = 0; i < MFA_DEVICES_PER_USER; i++) {
          await tx.enableMfaDevice(ACCOUNT, serial(`D${i}`), 'alice', codes(10))
        }
        const last = serial(`D${MFA_DEVICES_PER_USER}`)
        await rejectsWith(tx.enableMfaDevice(ACCOUNT, last, 'alice', codes(10)), MfaDeviceError, {
          reason: 'perUserLimit',
          serialNumber: last,
          limit: MFA_DEVICES_PER_USER,
        })
        const refused = await tx.getVirtualMfaDeviceSecret(ACCOUNT, last)
        assert.equal(refused.device.user, null)
        assert.equal(refused.lastStep, null, 'the refused codes are not used up')
        await tx.enableMfaDevice(ACCOUNT, last, 'bob', codes(10))
        await tx.deactivateMfaDevice(ACCOUNT, serial('D0'), 'alice')
        await tx.deactivateMfaDevice(ACCOUNT, last, 'bob')
        await tx.enableMfaDevice(ACCOUNT, last, 'alice', codes(20))
        assert.equal((await tx.listMfaDevices(ACCOUNT, 'alice')).items.length, MFA_DEVICES_PER_USER)
      })
    })

    test('resyncs only the device of the user named, never with used codes', async (c) => {
      await c.tx(async (tx) => {
        await userWithDevice(tx, 'alice', 'A')
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'Loose' })
        await rejectsWith(
          tx.resyncMfaDevice(ACCOUNT, serial('A'), 'bob', codes(200)),
          MfaDeviceError,
          { reason: 'notAssignedToUser', serialNumber: serial('A') },
        )
        await rejectsWith(
          tx.resyncMfaDevice(ACCOUNT, serial('Loose'), 'bob', codes(200)),
          MfaDeviceError,
          { reason: 'notAssignedToUser' },
        )
        await rejectsWith(
          tx.resyncMfaDevice(ACCOUNT, serial('A'), 'ghost', codes(200)),
          NotFoundError,
          { entity: 'user', key: 'ghost' },
        )
        await rejectsWith(
          tx.resyncMfaDevice(ACCOUNT, serial('A'), 'alice', codes(100)),
          MfaDeviceError,
          { reason: 'codesReused' },
        )
        await tx.resyncMfaDevice(ACCOUNT, serial('A'), 'alice', codes(130, 7))
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('A'))
        assert.equal(secret.lastStep, 130)
        assert.equal(secret.driftSteps, 7)
        assert.equal(secret.device.user?.name, 'alice')
      })
    })

    test('deactivates a device of the user named, keeping its last step', async (c) => {
      await c.tx(async (tx) => {
        await userWithDevice(tx, 'alice', 'A')
        await tx.createUser({ accountId: ACCOUNT, name: 'bob' })
        await rejectsWith(tx.deactivateMfaDevice(ACCOUNT, serial('A'), 'bob'), MfaDeviceError, {
          reason: 'notAssignedToUser',
          serialNumber: serial('A'),
        })
        await rejectsWith(tx.deactivateMfaDevice(ACCOUNT, serial('B'), 'alice'), MfaDeviceError, {
          reason: 'notFound',
        })
        await tx.deactivateMfaDevice(ACCOUNT, serial('A'), 'ALICE')
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('A'))
        assert.equal(secret.device.user, null)
        assert.equal(secret.device.enabledAt, null)
        assert.equal(secret.lastStep, 100)
        assert.deepEqual((await tx.listMfaDevices(ACCOUNT, 'alice')).items, [])
        await rejectsWith(tx.deactivateMfaDevice(ACCOUNT, serial('A'), 'alice'), MfaDeviceError, {
          reason: 'notAssignedToUser',
        })
      })
    })

    test('deletes a device only while it is unassigned, with its tags', async (c) => {
      await c.tx(async (tx) => {
        await userWithDevice(tx, 'alice', 'A')
        await tx.tagMfaDevice(ACCOUNT, serial('A'), [{ key: 'team', value: 'blue' }])
        await rejectsWith(tx.deleteVirtualMfaDevice(ACCOUNT, serial('A')), MfaDeviceError, {
          reason: 'assigned',
          serialNumber: serial('A'),
        })
        await tx.deactivateMfaDevice(ACCOUNT, serial('A'), 'alice')
        await tx.deleteVirtualMfaDevice(ACCOUNT, serial('a'))
        await rejectsWith(tx.getVirtualMfaDevice(ACCOUNT, serial('A')), MfaDeviceError, {
          reason: 'notFound',
        })
        await rejectsWith(tx.deleteVirtualMfaDevice(ACCOUNT, serial('A')), MfaDeviceError, {
          reason: 'notFound',
        })
        const fresh = await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'A' })
        assert.deepEqual((await tx.listMfaDeviceTags(ACCOUNT, fresh.device.serialNumber)).items, [])
        assert.equal(
          (await tx.getVirtualMfaDeviceSecret(ACCOUNT, fresh.device.serialNumber)).lastStep,
          null,
        )
      })
    })

    test('keeps a user with a device from being deleted, and follows a renamed user', async (c) => {
      await c.tx(async (tx) => {
        await userWithDevice(tx, 'alice', 'A')
        await assert.rejects(
          tx.deleteUser(ACCOUNT, 'alice'),
          (err: unknown) => err instanceof DeleteConflictError && err.reason === 'mfaDevices',
        )
        await tx.updateUser(ACCOUNT, 'alice', { newName: 'alicia', newPath: '/moved/' })
        const device = await tx.getVirtualMfaDevice(ACCOUNT, serial('A'))
        assert.equal(device.user?.name, 'alicia')
        assert.equal(device.user?.arn, `arn:aws:iam::${ACCOUNT}:user/moved/alicia`)
        await tx.deactivateMfaDevice(ACCOUNT, serial('A'), 'alicia')
        await tx.deleteUser(ACCOUNT, 'alicia')
      })
    })

    test("enables a device for the root user, apart from every IAM user's", async (c) => {
      const enabledAt = new Date(START.getTime() + 60_000)
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'root-account-mfa-device' })
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'AliceMFA' })
        c.clock.advance(60_000)
        const device = await tx.enableMfaDevice(
          ACCOUNT,
          serial('root-account-mfa-device'),
          null,
          codes(300, 1),
        )
        assert.equal(device.user, null)
        assert.equal(device.root, true)
        assert.deepEqual(device.enabledAt, enabledAt)
        assert.deepEqual(
          await tx.getVirtualMfaDevice(ACCOUNT, serial('root-account-mfa-device')),
          device,
        )
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, device.serialNumber)
        assert.equal(secret.lastStep, 300)
        assert.equal(secret.driftSteps, 1)
        assert.deepEqual((await tx.listMfaDevices(ACCOUNT, null)).items, [device])
        assert.deepEqual((await tx.listMfaDevices(OTHER_ACCOUNT, null)).items, [])
        assert.deepEqual((await tx.listMfaDevices(ACCOUNT, 'alice')).items, [])
        await tx.enableMfaDevice(ACCOUNT, serial('AliceMFA'), 'alice', codes(300))
        assert.deepEqual(await serials(tx.listMfaDevices(ACCOUNT, null)), [device.serialNumber])
        // Assigned to the root user: not again, not to a user, not deleted.
        for (const userName of [null, 'alice']) {
          await rejectsWith(
            tx.enableMfaDevice(ACCOUNT, device.serialNumber, userName, codes(400)),
            MfaDeviceError,
            { reason: 'assigned', serialNumber: device.serialNumber },
          )
        }
        await rejectsWith(tx.deleteVirtualMfaDevice(ACCOUNT, device.serialNumber), MfaDeviceError, {
          reason: 'assigned',
        })
        assert.deepEqual(
          await serials(tx.listVirtualMfaDevices(ACCOUNT, { assignmentStatus: 'Assigned' })),
          [serial('AliceMFA'), device.serialNumber],
        )
        assert.deepEqual(
          await serials(tx.listVirtualMfaDevices(ACCOUNT, { assignmentStatus: 'Unassigned' })),
          [],
        )
        await rejectsWith(tx.listMfaDevices('999999999999', null), NotFoundError, {
          entity: 'account',
        })
        await rejectsWith(
          tx.enableMfaDevice('999999999999', device.serialNumber, null, codes(500)),
          NotFoundError,
          { entity: 'account' },
        )
      })
    })

    test("uses, resyncs and deactivates the root user's device as the root user's only", async (c) => {
      await c.tx(async (tx) => {
        await userWithDevice(tx, 'alice', 'A')
        await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: 'R' })
        await tx.enableMfaDevice(ACCOUNT, serial('R'), null, codes(100))
        for (const [device, owner] of [
          ['A', null],
          ['R', 'alice'],
        ] as const) {
          await rejectsWith(tx.useMfaCode(ACCOUNT, serial(device), owner, 200), MfaDeviceError, {
            reason: 'notAssignedToUser',
          })
          await rejectsWith(
            tx.resyncMfaDevice(ACCOUNT, serial(device), owner, codes(200)),
            MfaDeviceError,
            { reason: 'notAssignedToUser' },
          )
          await rejectsWith(
            tx.deactivateMfaDevice(ACCOUNT, serial(device), owner),
            MfaDeviceError,
            { reason: 'notAssignedToUser' },
          )
        }
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('R'), null, 100), false, 'used by enable')
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('R'), null, 101), true)
        assert.equal(await tx.useMfaCode(ACCOUNT, serial('R'), null, 101), false, 'replayed')
        await rejectsWith(
          tx.resyncMfaDevice(ACCOUNT, serial('R'), null, codes(101)),
          MfaDeviceError,
          { reason: 'codesReused' },
        )
        await tx.resyncMfaDevice(ACCOUNT, serial('R'), null, codes(150, -3))
        const secret = await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('R'))
        assert.deepEqual([secret.lastStep, secret.driftSteps], [150, -3])
        await tx.deactivateMfaDevice(ACCOUNT, serial('R'), null)
        const after = await tx.getVirtualMfaDeviceSecret(ACCOUNT, serial('R'))
        assert.deepEqual([after.device.root, after.device.enabledAt], [false, null])
        assert.equal(after.lastStep, 150, 'deactivation keeps the last step: no replay later')
        assert.deepEqual((await tx.listMfaDevices(ACCOUNT, null)).items, [])
        await rejectsWith(
          tx.enableMfaDevice(ACCOUNT, serial('R'), 'alice', codes(150)),
          MfaDeviceError,
          { reason: 'codesReused' },
        )
        assert.equal(
          (await tx.enableMfaDevice(ACCOUNT, serial('R'), 'alice', codes(152))).root,
          false,
        )
        await tx.deactivateMfaDevice(ACCOUNT, serial('R'), 'alice')
        await tx.deleteVirtualMfaDevice(ACCOUNT, serial('R'))
      })
    })

    test(`allows the root user ${MFA_DEVICES_PER_USER} devices of its own`, async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        for (let i = 0; i <= MFA_DEVICES_PER_USER; i++) {
          await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name: `R${i}` })
        }
        await tx.createVirtualMfaDevice({ accountId: OTHER_ACCOUNT, name: 'Elsewhere' })
        await tx.enableMfaDevice(OTHER_ACCOUNT, serial('Elsewhere', OTHER_ACCOUNT), null, codes(9))
        for (let i = 0; i < MFA_DEVICES_PER_USER; i++) {
          await tx.enableMfaDevice(ACCOUNT, serial(`R${i}`), null, codes(10))
        }
        const last = serial(`R${MFA_DEVICES_PER_USER}`)
        await rejectsWith(tx.enableMfaDevice(ACCOUNT, last, null, codes(10)), MfaDeviceError, {
          reason: 'perUserLimit',
          limit: MFA_DEVICES_PER_USER,
        })
        assert.equal((await tx.getVirtualMfaDevice(ACCOUNT, last)).root, false)
        await tx.enableMfaDevice(ACCOUNT, last, 'alice', codes(10))
      })
    })

    test('lists devices by serial number without case, filtered by assignment', async (c) => {
      await c.tx(async (tx) => {
        await tx.createUser({ accountId: ACCOUNT, name: 'alice' })
        for (const [name, path] of [
          ['b', '/'],
          ['A', '/'],
          ['c', '/x/'],
          ['z', '/X/'],
          ['m', '/'],
        ] as const) {
          await tx.createVirtualMfaDevice({ accountId: ACCOUNT, name, path })
        }
        await tx.createVirtualMfaDevice({ accountId: OTHER_ACCOUNT, name: 'elsewhere' })
        await tx.enableMfaDevice(ACCOUNT, serial('b'), 'alice', codes(10))
        await tx.enableMfaDevice(ACCOUNT, serial('x/c'), 'alice', codes(10))
        const all = [serial('A'), serial('b'), serial('m'), serial('x/c'), serial('X/z')]
        assert.deepEqual(await serials(tx.listVirtualMfaDevices(ACCOUNT)), all)
        assert.deepEqual(
          await serials(tx.listVirtualMfaDevices(ACCOUNT, { assignmentStatus: 'Any' })),
          all,
        )
        assert.deepEqual(
          await serials(tx.listVirtualMfaDevices(ACCOUNT, { assignmentStatus: 'Assigned' })),
          [serial('b'), serial('x/c')],
        )
        assert.deepEqual(
          await serials(tx.listVirtualMfaDevices(ACCOUNT, { assignmentStatus: 'Unassigned' })),
          [serial('A'), serial('m'), serial('X/z')],
        )
        const paged = await readAllPages((marker) =>
          tx.listVirtualMfaDevices(ACCOUNT, {
            maxItems: 2,
            ...(marker === undefined ? {} : { marker }),
          }),
        )
        assert.deepEqual(
          paged.items.map((d) => d.serialNumber),
          all,
        )
        assert.deepEqual(paged.pages, [2, 2, 1])
        assert.deepEqual(await serials(tx.listMfaDevices(ACCOUNT, 'alice')), [
          serial('b'),
          serial('x/c'),
        ])
        await rejectsWith(tx.listMfaDevices(ACCOUNT, 'ghost'), NotFoundError, {
          entity: 'user',
          key: 'ghost',
        })
      })
    })

    test(
      'tags a device with keys compared with case, up to the quota',
      async (c) => {
        await c.tx(async (tx) => {
          await tx.createVirtualMfaDevice({
            accountId: ACCOUNT,
            name: 'D',
            tags: [{ key: 'Team', value: 'blue' }],
          })
          await tx.tagMfaDevice(ACCOUNT, serial('D'), [
            { key: 'team', value: 'red' },
            { key: 'Team', value: 'green' },
          ])
          assert.deepEqual((await tx.listMfaDeviceTags(ACCOUNT, serial('d'))).items, [
            { key: 'Team', value: 'green' },
            { key: 'team', value: 'red' },
          ])
          await tx.untagMfaDevice(ACCOUNT, serial('D'), ['TEAM', 'team'])
          assert.deepEqual((await tx.listMfaDeviceTags(ACCOUNT, serial('D'))).items, [
            { key: 'Team', value: 'green' },
          ])
          await rejectsWith(
            tx.tagMfaDevice(ACCOUNT, serial('D'), [
              { key: 'a', value: '1' },
              { key: 'b', value: '2' },
            ]),
            LimitExceededError,
            { quota: 'tagsPerResource', limit: 2 },
          )
          assert.equal((await tx.listMfaDeviceTags(ACCOUNT, serial('D'))).items.length, 1)
          await rejectsWith(
            tx.createVirtualMfaDevice({
              accountId: ACCOUNT,
              name: 'E',
              tags: [
                { key: 'a', value: '1' },
                { key: 'b', value: '2' },
                { key: 'c', value: '3' },
              ],
            }),
            LimitExceededError,
            { quota: 'tagsPerResource' },
          )
          await rejectsWith(tx.getVirtualMfaDevice(ACCOUNT, serial('E')), MfaDeviceError, {
            reason: 'notFound',
          })
          for (const call of [
            () => tx.tagMfaDevice(ACCOUNT, serial('Missing'), [{ key: 'a', value: '1' }]),
            () => tx.untagMfaDevice(ACCOUNT, serial('Missing'), ['a']),
            () => tx.listMfaDeviceTags(ACCOUNT, serial('Missing')),
          ]) {
            await rejectsWith(call(), MfaDeviceError, { reason: 'notFound' })
          }
        })
      },
      { limits: { tagsPerResource: 2 } },
    )
  },
}
