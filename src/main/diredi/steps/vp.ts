import type { SpecModel } from '../../../shared/model/spec'
import type { MlPool } from '../../ml/worker/pool'
import type { DatasetSplit } from '../../store/types'
import { labels, shareRight } from '../../ml/engine'

/** Each model's predictions on V_p, computed once per round; the QA gate and every V_p figure read them. */
export class VpMeasure {
  private readonly preds = new Map<SpecModel, Promise<Int32Array>>()

  constructor(
    private readonly pool: MlPool,
    readonly data: DatasetSplit
  ) {}

  pred(m: SpecModel): Promise<Int32Array> {
    let p = this.preds.get(m)
    if (!p) this.preds.set(m, (p = labels(this.pool, m, this.data)))
    return p
  }

  async acc(m: SpecModel): Promise<number> {
    return shareRight(await this.pred(m), this.data.y)
  }
}
