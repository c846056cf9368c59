/**
 * A console with 32 paced in-process boards that starts a rollout and runs until it is killed: the
 * resume test SIGKILLs it mid-rollout. Usage: node --import tsx test/helpers/fleet-child.ts DATA_DIR
 * Prints one JSON line {"jobId", "paths"} once the rollout has started.
 */
import { InProcessBoards } from '../../src/main/emulator/inprocess'
import { int8Runtime } from '../../src/main/emulator/int8-runtime'
import { allOnline, artifactBytes, call, openConsole, RESUME_BAUD, RESUME_BOARDS, specModel } from './fleet'

const dataDir = process.argv[2]
const boards = new InProcessBoards(int8Runtime)
for (let i = 0; i < RESUME_BOARDS; i++) boards.add({ config: { baud: RESUME_BAUD, pace: true } })
const app = await openConsole(dataDir, boards)
for (const b of boards.boards) await call(app, 'fleet.addPort', { path: b.path })
const ids = boards.boards.map((b) => b.board.cfg.boardId)
await allOnline(app, ids)
for (const id of ids) await call(app, 'fleet.label', { id, group: 'lab' })
const model = await app.services.registry.models.put('student', specModel, { name: 'tiny', lineage: {} })
const art = await app.services.registry.artifacts.put(artifactBytes(5), { modelId: model.id, formatVersion: 1 })
const { jobId } = await call<{ jobId: string }>(app, 'fleet.rollout', { artifactId: model.id, group: 'lab', concurrency: 2 })
process.stdout.write(JSON.stringify({ jobId, artifact: art.id, hash: art.hash, paths: boards.boards.map((b) => b.path) }) + '\n')
setInterval(() => undefined, 1 << 30) // run until killed
