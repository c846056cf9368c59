import type { Handlers } from '../router'
import type { Services } from '../services'

/** The boards.* methods of the contract, answered by the BoardService. */
export function boardsHandlers(s: Services): Pick<Handlers, 'boards.ports' | 'boards.list' | 'boards.open' | 'boards.get' | 'boards.close' | 'boards.flash' | 'boards.infer' | 'boards.evalPrivate' | 'boards.pair' | 'boards.stats'> {
  return {
    'boards.ports': () => s.boards.ports(),
    'boards.list': () => s.boards.list(),
    'boards.open': (p) => s.boards.open(p.path, p.baudRate),
    'boards.get': (p) => s.boards.get(p.path),
    'boards.close': (p) => s.boards.close(p.path),
    'boards.flash': (p) => s.boards.flash(p),
    'boards.infer': (p) => s.boards.infer(p.path, p.dataset, p.count),
    'boards.evalPrivate': (p) => s.boards.evalPrivate(p.path, p.split),
    'boards.pair': (p) => s.boards.pair(p.path),
    'boards.stats': (p) => s.boards.stats(p.path)
  }
}
