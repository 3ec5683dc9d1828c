// A TypeScript program using the package type-checks against the generated index.d.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const require = createRequire(import.meta.url)

test('test/typescript/usage.ts compiles under tsc --strict', async () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const project = fileURLToPath(new URL('./typescript/tsconfig.json', import.meta.url))
  try {
    await run(process.execPath, [tsc, '-p', project], { timeout: 120_000 })
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`)
  }
})
