import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { h } from 'vue'
import VirtualRows from './VirtualRows.vue'

const items = Array.from({ length: 5000 }, (_, i) => ({ id: `b${i}` }))
const make = () =>
  mount(VirtualRows, {
    props: { items, rowHeight: 30, height: 300, keyOf: (x: unknown) => (x as { id: string }).id, label: 'boards' },
    slots: { default: (p: { item: unknown }) => h('span', (p.item as { id: string }).id) }
  })

describe('VirtualRows', () => {
  it('renders only the rows in view plus a margin, whatever the list length', () => {
    const w = make()
    const rows = w.findAll('[role=row]')
    expect(rows.length).toBeLessThanOrEqual(10 + 2 * 6 + 1)
    expect(rows[0].text()).toBe('b0')
    expect(w.get('.spacer').attributes('style')).toContain(`height: ${5000 * 30}px`)
  })

  it('moves the active row with the keyboard and opens it with Enter', async () => {
    const w = make()
    const grid = w.get('[role=grid]')
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: 'ArrowDown' })
    expect(grid.attributes('aria-activedescendant')).toBe('row-b2')
    await grid.trigger('keydown', { key: 'End' })
    expect(grid.attributes('aria-activedescendant')).toBe('row-b4999')
    await grid.trigger('keydown', { key: 'Enter' })
    expect(w.emitted('open')?.[0]).toEqual([{ id: 'b4999' }])
  })
})
