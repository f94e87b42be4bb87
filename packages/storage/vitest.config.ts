import { packageConfig } from '@tidemark/vitest-config'

export default packageConfig(import.meta.dirname)
