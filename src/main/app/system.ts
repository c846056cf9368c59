import type { SystemStatus } from '../../shared/api/system'
import { backendInfo } from '../ml/backend'
import { version } from './config'

/** Facts about this console process, for the status screen and `diredi info`. */
export class SystemService {
  private readonly startedAt = new Date().toISOString()

  constructor(
    private readonly dataDir: string,
    private readonly host: SystemStatus['host']
  ) {}

  status(): SystemStatus {
    return {
      version,
      dataDir: this.dataDir,
      backend: backendInfo(),
      host: this.host,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: this.startedAt,
      pid: process.pid
    }
  }
}
