import {
  artifactChunk, bool, boardMessage, consoleMessage, counts, enumOf, f32, hash, inputTensor, key, knowledgeChunk,
  linkMessage, nonce, replyScores, slot, text, u16, u32, u8, type MessageDef
} from './define'
import type { FieldsValue } from './fields'

/** Protocol versions this code speaks (HELLO negotiates the highest common one). */
export const PROTOCOL_MIN = 1
export const PROTOCOL_MAX = 1

export const SLOT_NAMES = ['a', 'b'] as const
export type SlotName = (typeof SLOT_NAMES)[number]
export const SLOT_OR_NONE = ['none', 'a', 'b'] as const
/** What a board can adapt: nothing, its head, all layers, or all layers and the tutor form (a gateway that can train the teacher's architecture). */
export const ADAPTATION = ['none', 'head', 'all', 'tutor'] as const
export const ADAPT_LAYERS = ['head', 'all', 'tutor'] as const
export type AdaptLayers = (typeof ADAPT_LAYERS)[number]
export type AdaptationCapability = (typeof ADAPTATION)[number]
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export const SPLITS = ['train', 'test'] as const
export const ADAPT_STATES = ['none', 'running', 'done', 'failed', 'cancelled'] as const

/** Why a board refused a request (the ERROR message's code). */
export const BOARD_ERRORS = [
  'BAD_REQUEST', // a field out of range
  'BAD_STATE', // not allowed in the board's current state (e.g. CONFIRM without a trial)
  'BAD_SLOT', // the slot is the active one, or does not hold what the request names
  'BAD_OFFSET', // a write or read not at the expected offset
  'TOO_LARGE', // over the slot's flash budget or the board's RAM budget
  'VERIFY_FAILED', // the slot's SHA-256 differs from the artifact hash; the slot was erased
  'MODEL_INVALID', // the verified artifact does not decode or does not fit; the slot is marked bad
  'NO_MODEL', // no model is running
  'NOT_PAIRED', // no key: pair the board first
  'BAD_PROOF', // re-pairing without proof of the old key
  'UNSUPPORTED', // the board has no such capability (e.g. adaptation 'all' on a 'head' board)
  'BUSY', // another job is running
  'NOT_FOUND', // no such job
  'INTERNAL' // a firmware fault
] as const
export type BoardErrorCode = (typeof BOARD_ERRORS)[number]

/** Capability bits of HELLO_INFO.caps. */
export const CAP = { INFER: 1, PRIVATE_EVAL: 2, ADAPT: 4, PAIRING: 8, RESUME: 16 } as const

const rid = u16('rid')
const slotName = enumOf('slot', SLOT_NAMES)

/**
 * Every message of protocol version 1, by name. Type codes: 0x0_ link and session, 0x1_ slots and
 * flashing, 0x2_ inference, 0x3_ pairing, adaptation and knowledge. docs/protocol.md describes each.
 */
export const MESSAGES = {
  ACK: linkMessage(0x00, 'ACK', 'Acknowledges reliable frames through its header (ack, sack) when there is no other frame to carry them.'),
  HELLO: consoleMessage(0x01, 'HELLO', [u32('session'), u8('minVersion'), u8('maxVersion')], {
    reliable: false,
    doc: 'Opens a session: the console names a session id (its low byte becomes the frame epoch) and the protocol versions it speaks. Frozen layout for every version.'
  }),
  HELLO_INFO: boardMessage(
    0x02,
    'HELLO_INFO',
    [
      u32('session'), u8('minVersion'), u8('maxVersion'), u8('version'),
      text('boardId'), text('boardClass'), text('firmware'),
      u32('flashBytes'), u32('ramBytes'), enumOf('adaptation', ADAPTATION), u32('lineRate'), u32('caps'),
      bool('paired'), u32('bootCount'), enumOf('active', SLOT_OR_NONE), enumOf('running', SLOT_OR_NONE), bool('trial'),
      slot('slotA'), slot('slotB')
    ],
    { reliable: false, replyTo: ['HELLO'], doc: "The board's identity, budgets, capabilities and both slots; `version` is the highest common version, or 0 when the ranges do not overlap (skew). Frozen layout for every version." }
  ),
  UNSYNCED: boardMessage(0x03, 'UNSYNCED', [u32('bootCount')], {
    reliable: false,
    doc: 'Sent (at most every 100 ms) when a reliable frame arrives outside a session, e.g. after the board rebooted: the console must send HELLO.'
  }),
  ERROR: boardMessage(0x04, 'ERROR', [rid, enumOf('code', BOARD_ERRORS), text('detail')], {
    replyTo: ['*'],
    doc: 'Refuses the request with this rid; nothing was changed unless the code says so (VERIFY_FAILED erases the slot).'
  }),
  LOG: boardMessage(0x05, 'LOG', [enumOf('level', LOG_LEVELS), u32('uptimeMs'), text('text')], {
    reliable: false,
    channel: 'log',
    doc: 'A human log line on the log channel; never parsed for data and never blocks the data channel.'
  }),
  PING: consoleMessage(0x06, 'PING', [rid], { doc: 'Keep-alive and round-trip probe.' }),
  PONG: boardMessage(0x07, 'PONG', [rid, u32('uptimeMs')], { replyTo: ['PING'], doc: 'Answers PING.' }),
  STATS_GET: consoleMessage(0x08, 'STATS_GET', [rid], { doc: "Asks for the board's own link counters." }),
  STATS: boardMessage(
    0x09,
    'STATS',
    [rid, u32('framesIn'), u32('framesOut'), u32('bytesIn'), u32('bytesOut'), u32('crcErrors'), u32('framingErrors'), u32('retransmits'), u32('timeouts'), u32('duplicates')],
    { replyTo: ['STATS_GET'], doc: "The board's link counters since boot." }
  ),
  REBOOT: consoleMessage(0x0a, 'REBOOT', [rid], { doc: 'Reboots after replying OK. A trial model is not kept: the board boots its confirmed slot.' }),
  OK: boardMessage(0x0b, 'OK', [rid], { replyTo: ['REBOOT', 'ADAPT_CANCEL'], doc: 'Plain success.' }),

  SLOTS_GET: consoleMessage(0x10, 'SLOTS_GET', [rid], { doc: 'Asks for the state of both slots.' }),
  SLOTS: boardMessage(0x11, 'SLOTS', [rid, enumOf('active', SLOT_OR_NONE), enumOf('running', SLOT_OR_NONE), bool('trial'), slot('slotA'), slot('slotB')], {
    replyTo: ['SLOTS_GET', 'BOOT_TRIAL', 'CONFIRM', 'REVERT'],
    doc: '`active` is the confirmed slot the board boots; `running` the slot whose model runs now; `trial` whether that is a trial boot.'
  }),
  FLASH_BEGIN: consoleMessage(0x12, 'FLASH_BEGIN', [rid, slotName, u32('size'), hash('hash')], {
    doc: 'Starts or resumes writing an artifact of `size` bytes and SHA-256 `hash` into the inactive `slot`. A slot already holding a partial write of the same hash resumes.'
  }),
  FLASH_READY: boardMessage(0x13, 'FLASH_READY', [rid, slotName, u32('offset'), u16('chunkMax')], {
    replyTo: ['FLASH_BEGIN'],
    doc: 'The offset to continue from (0 for a new write, `size` when complete) and the largest FLASH_DATA chunk the board takes.'
  }),
  FLASH_DATA: consoleMessage(0x14, 'FLASH_DATA', [slotName, u32('offset'), artifactChunk('data')], {
    doc: 'Bytes at `offset` (which must equal the bytes written so far). No reply: the board acknowledges the frame only after the bytes are written; a misplaced chunk is ignored and shows in FLASH_END.'
  }),
  FLASH_END: consoleMessage(0x15, 'FLASH_END', [rid, slotName], { doc: 'Asks the board to verify the whole slot: SHA-256 over `size` bytes against the hash of FLASH_BEGIN.' }),
  FLASH_RESULT: boardMessage(0x16, 'FLASH_RESULT', [rid, slotName, slot('state')], {
    replyTo: ['FLASH_END'],
    doc: "The slot after verification ('verified'), or still 'writing' with the bytes written when the write is incomplete. A hash mismatch is ERROR VERIFY_FAILED and the slot is erased."
  }),
  BOOT_TRIAL: consoleMessage(0x17, 'BOOT_TRIAL', [rid, slotName, hash('hash')], {
    doc: "Boots the verified `slot` on trial (it is hashed again first). A trial lasts until CONFIRM; a reboot, a new session or the trial watchdog puts back the confirmed model."
  }),
  CONFIRM: consoleMessage(0x18, 'CONFIRM', [rid, slotName, hash('hash')], { doc: 'Makes the trial slot the confirmed one (the board boots it from now on).' }),
  REVERT: consoleMessage(0x19, 'REVERT', [rid], { doc: 'Ends a trial now and runs the confirmed model again.' }),

  INFER: consoleMessage(0x20, 'INFER', [rid, inputTensor('input')], { doc: 'Runs the running model on one quantised input the console sends.' }),
  INFER_RESULT: boardMessage(0x21, 'INFER_RESULT', [rid, enumOf('slot', SLOT_OR_NONE), u16('class'), replyScores('scores'), u32('latencyUs')], {
    replyTo: ['INFER'],
    doc: "The int8 output for the console's own input: predicted class, all int8 scores, latency in microseconds, and which slot ran."
  }),
  EVAL_PRIVATE: consoleMessage(0x22, 'EVAL_PRIVATE', [rid, enumOf('split', SPLITS)], { doc: "Runs the running model on the board's own data; only aggregates come back." }),
  EVAL_REPORT: boardMessage(
    0x23,
    'EVAL_REPORT',
    [rid, u32('n'), u32('correct'), counts('classCounts'), counts('predCounts'), counts('confidenceHist'), u32('latencyMeanUs'), u32('latencyMaxUs')],
    { replyTo: ['EVAL_PRIVATE'], doc: 'Aggregates of the board inferring on its own data: sample count, correct count, counts per true class and per predicted class, a 10-bin histogram of top-class confidence, latency.' }
  ),

  PAIR: consoleMessage(0x30, 'PAIR', [rid, key('key'), hash('proof')], {
    doc: 'Provisions the per-board knowledge-signing key. An unpaired board takes any key (proof all zeros); a paired board only with proof = HMAC-SHA256(old key, new key || board id).'
  }),
  PAIRED: boardMessage(0x31, 'PAIRED', [rid, text('boardId')], { replyTo: ['PAIR'], doc: 'The key is stored.' }),
  ADAPT_START: consoleMessage(
    0x32,
    'ADAPT_START',
    [rid, enumOf('layers', ADAPT_LAYERS), u16('epochs'), f32('lr'), f32('mu'), f32('clip'), f32('sigma'), hash('base'), nonce('nonce'), u32('seed')],
    { doc: 'Starts reverse distillation on the board (docs/method.md §3) from the running model, which must have hash `base`; with layers tutor, base names the teacher artifact staged (verified, not booted) in the other slot, and the knowledge is in the teacher weight space. clip and sigma 0 mean off. The nonce is bound into the signed knowledge.' }
  ),
  ADAPT_STARTED: boardMessage(0x33, 'ADAPT_STARTED', [rid, u16('job')], { replyTo: ['ADAPT_START'], doc: 'The job number to follow.' }),
  ADAPT_PROGRESS: boardMessage(0x34, 'ADAPT_PROGRESS', [u16('job'), u16('epoch'), u16('epochs'), f32('loss')], {
    doc: 'Progress of an adaptation job: epochs done and the mean training loss of the last epoch (an aggregate).'
  }),
  ADAPT_DONE: boardMessage(0x35, 'ADAPT_DONE', [u16('job'), enumOf('state', ADAPT_STATES), u32('bytes'), hash('digest'), text('detail')], {
    doc: 'The job ended: when done, the knowledge blob is `bytes` long with SHA-256 `digest`, ready for KNOWLEDGE_GET.'
  }),
  ADAPT_STATUS: consoleMessage(0x36, 'ADAPT_STATUS', [rid, u16('job')], { doc: "Asks for a job's state (after a reconnect, when ADAPT_DONE may have been missed)." }),
  ADAPT_STATE: boardMessage(0x37, 'ADAPT_STATE', [rid, u16('job'), enumOf('state', ADAPT_STATES), u16('epoch'), u16('epochs'), u32('bytes'), hash('digest')], {
    replyTo: ['ADAPT_STATUS'],
    doc: "A job's state."
  }),
  KNOWLEDGE_GET: consoleMessage(0x38, 'KNOWLEDGE_GET', [rid, u16('job'), u32('offset'), u16('length')], { doc: 'Reads part of a finished job\'s knowledge blob; resumable by offset.' }),
  KNOWLEDGE_CHUNK: boardMessage(0x39, 'KNOWLEDGE_CHUNK', [rid, u16('job'), u32('offset'), u32('total'), knowledgeChunk('data')], {
    replyTo: ['KNOWLEDGE_GET'],
    doc: 'Bytes of the signed knowledge blob (knowledge.ts) at `offset` of `total`.'
  }),
  ADAPT_CANCEL: consoleMessage(0x3a, 'ADAPT_CANCEL', [rid, u16('job')], { doc: 'Stops a running adaptation job.' })
} as const satisfies Record<string, MessageDef>

export type Messages = typeof MESSAGES
export type MessageName = keyof Messages
export type MessageValue<N extends MessageName> = FieldsValue<Messages[N]['fields']>

/** Names of the messages each side may send. */
export type ConsoleMessageName = { [N in MessageName]: Messages[N]['from'] extends 'console' ? N : never }[MessageName]
export type BoardMessageName = { [N in MessageName]: Messages[N]['from'] extends 'board' ? N : never }[MessageName]

/** A decoded message: its name and its field values, as a discriminated union. */
export type AnyMessage = { [N in MessageName]: { name: N; value: MessageValue<N> } }[MessageName]
export type BoardMessage = Extract<AnyMessage, { name: BoardMessageName }>
export type ConsoleMessage = Extract<AnyMessage, { name: ConsoleMessageName }>

export const MESSAGE_LIST: readonly MessageDef[] = Object.values(MESSAGES)

export const MESSAGE_BY_TYPE: ReadonlyMap<number, MessageDef> = new Map(MESSAGE_LIST.map((m) => [m.type, m]))
