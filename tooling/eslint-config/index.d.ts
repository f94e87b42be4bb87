import type { Linter } from 'eslint'

export declare const config: Linter.Config[]
declare const _default: Linter.Config[]
export default _default
