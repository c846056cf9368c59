/** The lint configuration keeps each folder in its lane: these imports must fail, these must pass. */
import { describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

const eslint = new ESLint({ cwd: process.cwd() })

async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath })
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('lint lanes', () => {
  it.each([
    ['src/renderer/src/views/Bad.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync", /Node built-ins/],
    ['src/renderer/src/views/Bad2.ts', "import fs from 'fs'\nexport const x = fs", /Node built-ins/],
    ['src/renderer/src/views/Bad3.ts', "import { createApp } from '../../../main/app/app'\nexport const x = createApp", /must not import src\/main/],
    ['src/renderer/src/views/Bad4.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer", /electron/],
    ['src/main/fleet/bad.ts', "import { SerialPort } from 'serialport'\nexport const x = SerialPort", /Only src\/main\/transport/],
    ['src/main/fleet/bad2.ts', "import * as tf from '@tensorflow/tfjs-core'\nexport const x = tf", /Only src\/main\/ml/],
    ['src/main/boards/bad.ts', "import { app } from 'electron'\nexport const x = app", /Only src\/main\/hosts\/electron/],
    ['src/shared/bad.ts', "import { join } from 'node:path'\nexport const x = join", /Node built-ins/],
    ['src/shared/bad2.ts', "import { SerialPort } from 'serialport'\nexport const x = SerialPort", /Only src\/main\/transport/]
  ])('%s is refused', async (file, code, why) => {
    const errs = await errorsFor(file, code)
    expect(errs.length).toBeGreaterThan(0)
    expect(errs.join('\n')).toMatch(why)
  })

  it.each([
    ['src/main/transport/ok.ts', "import { SerialPort } from 'serialport'\nexport const x = SerialPort"],
    ['src/main/ml/ok.ts', "import * as tf from '@tensorflow/tfjs-core'\nexport const x = tf"],
    ['src/main/hosts/electron/ok.ts', "import { app } from 'electron'\nexport const x = app"],
    ['src/preload/ok.ts', "import { contextBridge } from 'electron'\nexport const x = contextBridge"],
    ['src/main/fleet/ok.ts', "import { join } from 'node:path'\nexport const x = join"],
    ['src/renderer/src/ok.ts', "import { methods } from '../../shared/api/contract'\nexport const x = methods"]
  ])('%s is allowed', async (file, code) => {
    expect(await errorsFor(file, code)).toEqual([])
  })
})
