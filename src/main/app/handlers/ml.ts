import type { Handlers } from '../router'
import type { Services } from '../services'

/** The ml methods of the contract, answered by the MlService. */
export function mlHandlers(s: Services): Pick<Handlers, 'teacher.train' | 'teacher.import' | 'distill.plan' | 'distill.start' | 'models.evaluate'> {
  return {
    'teacher.train': (p) => s.ml.trainTeacher(p),
    'teacher.import': (p) => s.ml.importTeacher(p),
    'distill.plan': (p) => s.ml.plan(p),
    'distill.start': (p) => s.ml.startDistill(p),
    'models.evaluate': (p) => s.ml.evaluate(p)
  }
}
