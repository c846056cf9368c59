// Local ESLint rule `local/folder-order`: the folders of src/main import downward only (docs/architecture.md,
// "Folder order"). A file in src/main/<folder>/ may import a module of src/main/<other>/ only when <other>
// sits in a lower layer. Folders of one layer do not import each other. Only relative specifiers are
// checked (src/main has no path aliases); packages are the lanes' business (no-restricted-imports).
import { dirname, resolve, sep } from 'node:path'

/** Bottom to top. A folder may import the folders of every layer below its own. */
export const FOLDER_LAYERS = [
  ['core'],
  ['transport', 'store'],
  ['boards'],
  ['fleet'],
  ['ml'],
  ['emulator'],
  ['diredi'],
  ['app'],
  ['hosts'],
  ['cli']
]

const layerOf = new Map(FOLDER_LAYERS.flatMap((layer, i) => layer.map((f) => [f, i])))

/** The folders `folder` may import, bottom first. */
export function allowedImports(folder) {
  const i = layerOf.get(folder)
  return i === undefined ? [] : FOLDER_LAYERS.slice(0, i).flat()
}

/** The src/main folder a path lies in (`boards` for .../src/main/boards/x.ts), or null. */
function folderOf(path) {
  const m = /(?:^|\/)src\/main\/([^/]+)\/.+/.exec(path.split(sep).join('/'))
  return m ? m[1] : null
}

export const folderOrder = {
  meta: {
    type: 'problem',
    docs: { description: 'src/main folders import only folders below them (docs/architecture.md)' },
    schema: [],
    messages: {
      upward:
        'src/main/{{from}} may not import src/main/{{to}} ({{spec}}): the folders import downward only, and {{from}} may import {{allowed}}. Move the shared part down, or pass it in from above (docs/architecture.md, "Folder order").',
      unknown:
        'src/main/{{folder}} is not in the folder order; add it to FOLDER_LAYERS (eslint-rules/folder-order.js) and to the table in docs/architecture.md.'
    }
  },
  create(context) {
    const file = context.filename
    const from = folderOf(file)
    if (!from) return {}
    const check = (node) => {
      const spec = node?.type === 'Literal' && typeof node.value === 'string' ? node.value : null
      if (!spec || !spec.startsWith('.')) return
      const to = folderOf(resolve(dirname(file), spec))
      if (!to || to === from) return
      for (const folder of [from, to]) {
        if (!layerOf.has(folder)) return context.report({ node, messageId: 'unknown', data: { folder } })
      }
      const allowed = allowedImports(from)
      if (!allowed.includes(to))
        context.report({
          node,
          messageId: 'upward',
          data: { from, to, spec, allowed: allowed.length ? allowed.join(', ') : 'no other folder' }
        })
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source)
    }
  }
}

export const localPlugin = { meta: { name: 'local' }, rules: { 'folder-order': folderOrder } }
