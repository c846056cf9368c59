#!/usr/bin/env node
// Import cycles in src/main: between files and between folders (the first path segment under the root,
// e.g. `core`, `boards`). Reads the `import ... from`, `export ... from`, `import '...'` and `import('...')`
// specifiers of every .ts file, resolves the relative ones to files, and finds the strongly connected
// components (Tarjan). Type-only imports count too: a cycle through types is still a knot a reader must untie.
// Test files (*.test.ts) count in the file graph but not in the folder graph.
// Prints every cycle and exits 1 when there is one; exits 0 silently otherwise.
// Usage: node scripts/check-cycles.mjs [root]   (root defaults to src/main; tests pass a temp tree)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const SPEC =
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every .ts file under dir (recursively), absolute paths. */
function tsFiles(dir) {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...tsFiles(p))
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/** Resolves a relative specifier from `from` to a .ts file under the tree, or null (package, or outside). */
function resolveSpec(from, spec) {
  if (!spec.startsWith('.')) return null
  const base = resolve(dirname(from), spec)
  for (const c of [base, base + '.ts', base.replace(/\.js$/, '.ts'), join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile() && c.endsWith('.ts')) return c
  }
  return null
}

/** Strips comments so a specifier quoted in a comment is not read as an import. */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
}

/** Tarjan's strongly connected components; returns those with more than one node, or a self-loop. */
export function cycles(graph) {
  let index = 0
  const idx = new Map()
  const low = new Map()
  const stack = []
  const on = new Set()
  const out = []
  const visit = (v) => {
    // iterative to stay safe on deep trees
    const work = [[v, 0]]
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    while (work.length) {
      const frame = work[work.length - 1]
      const [n, i] = frame
      const succ = [...(graph.get(n) ?? [])]
      if (i < succ.length) {
        frame[1]++
        const w = succ[i]
        if (!idx.has(w)) {
          idx.set(w, index)
          low.set(w, index++)
          stack.push(w)
          on.add(w)
          work.push([w, 0])
        } else if (on.has(w)) low.set(n, Math.min(low.get(n), idx.get(w)))
        continue
      }
      work.pop()
      if (work.length) {
        const p = work[work.length - 1][0]
        low.set(p, Math.min(low.get(p), low.get(n)))
      }
      if (low.get(n) === idx.get(n)) {
        const comp = []
        let w
        do {
          w = stack.pop()
          on.delete(w)
          comp.push(w)
        } while (w !== n)
        if (comp.length > 1 || graph.get(n)?.has(n)) out.push(comp.sort())
      }
    }
  }
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v)
  return out
}

/** The file graph and the folder graph of a tree: Map<node, Set<node>>, with the edges that made them. */
export function graphs(root) {
  const files = new Map()
  const folders = new Map()
  const why = new Map() // 'a -> b' (folders) -> one file edge that made it
  const folderOf = (f) => {
    const rel = relative(root, f).split(sep)
    return rel.length > 1 ? rel[0] : '.'
  }
  for (const f of tsFiles(root)) {
    const name = relative(root, f).split(sep).join('/')
    if (!files.has(name)) files.set(name, new Set())
    const text = code(readFileSync(f, 'utf8'))
    for (const m of text.matchAll(SPEC)) {
      const target = resolveSpec(f, m[1] ?? m[2])
      if (target && relative(root, target).startsWith('..')) continue
      if (!target) continue
      const tname = relative(root, target).split(sep).join('/')
      files.get(name).add(tname)
      const a = folderOf(f)
      const b = folderOf(target)
      // A test (*.test.ts) drives its folder against real parts above it (a boards test talks to an
      // emulated board); it is a leaf nobody imports, so it adds no folder dependency.
      if (a !== b && a !== '.' && b !== '.' && !name.endsWith('.test.ts')) {
        if (!folders.has(a)) folders.set(a, new Set())
        folders.get(a).add(b)
        if (!why.has(`${a} -> ${b}`)) why.set(`${a} -> ${b}`, `${name} imports ${tname}`)
      }
    }
  }
  return { files, folders, why }
}

/** One readable loop through a component: follows edges inside it from its first node back to it. */
function loop(graph, comp) {
  const inside = new Set(comp)
  const start = comp[0]
  const prev = new Map([[start, null]])
  const queue = [start]
  while (queue.length) {
    const n = queue.shift()
    for (const w of graph.get(n) ?? []) {
      if (!inside.has(w)) continue
      if (w === start) {
        const path = [start]
        for (let p = n; p !== start; p = prev.get(p)) path.splice(1, 0, p)
        return [...path, start]
      }
      if (!prev.has(w)) {
        prev.set(w, n)
        queue.push(w)
      }
    }
  }
  return comp
}

/** The cycles of a tree as printable lines (empty when there is none). */
export function report(root) {
  const { files, folders, why } = graphs(root)
  const lines = []
  for (const comp of cycles(folders)) {
    const path = loop(folders, comp)
    lines.push(`folder cycle: ${path.join(' -> ')}`)
    if (comp.length > 2) lines.push(`  all folders in it: ${comp.join(', ')}`)
    for (let i = 0; i + 1 < path.length; i++)
      lines.push(`  ${path[i]} -> ${path[i + 1]}: ${why.get(`${path[i]} -> ${path[i + 1]}`)}`)
  }
  for (const comp of cycles(files)) {
    lines.push(`file cycle (${comp.length} files): ${loop(files, comp).join(' -> ')}`)
    if (comp.length > 2) lines.push(`  all files in it: ${comp.join(', ')}`)
  }
  return lines
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main'))
  const lines = report(root)
  if (lines.length) {
    console.error(lines.join('\n'))
    console.error(
      `\n${relative(process.cwd(), root) || '.'}: import cycles found; make the imports go one way (see docs/architecture.md: folder order)`
    )
    process.exit(1)
  }
}
